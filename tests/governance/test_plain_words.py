"""Governance in plain words: what an open proposal needs and where it stands, the header
and the result changing together when the last ballot closes it, and amendments that start
from the current text and show their change as a word diff."""

import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from governance import constants
from governance.diff import word_diff
from governance.models import ProposalKind, ProposalStatus
from governance.rules import quorum_met, quorum_needed
from governance.selectors import proposal_standing
from governance.services import ballot_cast, proposal_close
from tests.factories import make_circle
from tests.governance.conftest import agreement_in, propose, set_rules
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page_text(response) -> str:
    """The page as read: tags dropped, spaces collapsed."""
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html)


def proposal_url(proposal) -> str:
    return reverse("governance:proposal", args=[proposal.circle.slug, proposal.pk])


# --- The arithmetic the words rest on ---------------------------------------------------


def test_the_quorum_needed_is_the_fewest_ballots_that_meet_it():
    for electorate in range(1, 13):
        for percent in range(101):
            needed = quorum_needed(electorate=electorate, quorum_percent=percent)
            assert quorum_met(electorate=electorate, cast=needed, quorum_percent=percent)
            if needed:
                assert not quorum_met(
                    electorate=electorate, cast=needed - 1, quorum_percent=percent
                )


def test_the_words_two_thirds_match_the_supermajority_constants():
    assert (constants.SUPERMAJORITY_NUMERATOR, constants.SUPERMAJORITY_DENOMINATOR) == (2, 3)


# --- Where it stands, at its boundaries, as closing decides -----------------------------

SCENARIOS = {
    # name: (members, rules, choices, would pass, why not, words on the page)
    "quorum not reached": (
        4,
        {},
        ["yes"],
        False,
        "quorum",
        [
            "1 of 4 voters have voted. It needs at least 2 ballots to count, so 1 more.",
            "It passes if more vote yes than no; a tie does not pass.",
            "Right now: 1 yes, 0 no, 0 abstaining. If it closed now, it would not pass: "
            "too few have voted.",
        ],
    ),
    "quorum reached and passing": (
        4,
        {},
        ["yes", "abstain"],
        True,
        "",
        [
            "2 of 4 voters have voted. Quorum reached: 2 ballots were needed.",
            "Right now: 1 yes, 0 no, 1 abstaining. If it closed now, it would pass.",
        ],
    ),
    "a tie": (
        4,
        {},
        ["yes", "no"],
        False,
        "tie",
        ["If it closed now, it would not pass: yes and no are tied."],
    ),
    "only abstentions": (
        3,
        {"quorum_percent": 30},
        ["abstain"],
        False,
        "threshold",
        ["Quorum reached: 1 ballot was needed.", "would not pass: not enough yes votes."],
    ),
    "supermajority at exactly two thirds": (
        5,
        {"threshold": "supermajority"},
        ["yes", "yes", "no"],
        True,
        "",
        [
            "It passes if at least two thirds of the yes and no votes are yes.",
            "If it closed now, it would pass.",
        ],
    ),
    "supermajority short of two thirds": (
        5,
        {"threshold": "supermajority"},
        ["yes", "yes", "no", "no"],
        False,
        "threshold",
        ["If it closed now, it would not pass: not enough yes votes."],
    ),
    "consensus with a block": (
        4,
        {"method": "consensus"},
        ["yes", "yes", "block"],
        False,
        "blocked",
        [
            "Any block stops it. Without blocks, it passes if more vote yes than no",
            "Right now: 2 yes, 0 no, 0 abstaining, 1 blocking. If it closed now, it would not "
            "pass: it is blocked.",
        ],
    ),
    "consensus without a block": (
        4,
        {"method": "consensus"},
        ["yes", "no", "yes"],
        True,
        "",
        ["If it closed now, it would pass."],
    ),
    "no quorum at all": (
        4,
        {"quorum_percent": 0},
        [],
        False,
        "threshold",
        ["0 of 4 voters have voted. There is no quorum: it counts however many vote."],
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_plain_words_say_what_closing_would_decide(client, name):
    members, rules, choices, would_pass, why_not, words = SCENARIOS[name]
    circle, people = make_circle(members=members)
    set_rules(circle, **rules)
    proposal = propose(circle, people[0])
    for person, choice in zip(people, choices, strict=False):
        ballot_cast(proposal=proposal, voter=person, choice=choice)

    standing = proposal_standing(proposal=proposal)
    assert (standing.would_pass, standing.why_not) == (would_pass, why_not)
    client.force_login(people[-1])
    text = page_text(client.get(proposal_url(proposal)))
    for sentence in words:
        assert sentence in text
    assert "Voting closes early as soon as everyone has voted." in text

    with time_machine.travel(proposal.closes_at + timezone.timedelta(seconds=1)):
        closed = proposal_close(proposal=proposal)
    assert (closed.status == ProposalStatus.PASSED) is would_pass


def test_secret_ballots_say_the_rule_and_turnout_but_no_totals(client):
    circle, people = make_circle(members=4)
    set_rules(circle, ballots="secret")
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[0], choice="no")
    standing = proposal_standing(proposal=proposal)
    assert (standing.yes, standing.would_pass) == (None, None)
    client.force_login(people[1])
    text = page_text(client.get(proposal_url(proposal)))
    assert "1 of 4 voters have voted. It needs at least 2 ballots to count, so 1 more." in text
    assert "Ballots are secret: totals are shown when the vote closes." in text
    assert "Right now" not in text
    assert "If it closed now" not in text


def test_the_list_says_it_in_short_and_keeps_its_query_budget(client):
    circle, people = make_circle(members=4)
    set_rules(circle, method="consensus")
    proposal = propose(circle, people[0], title="Paint the hall")
    ballot_cast(proposal=proposal, voter=people[1], choice="yes")
    propose(circle, people[0], title="A draft", open_now=False)
    client.force_login(people[0])
    path = reverse("governance:proposals", args=[circle.slug])
    text = page_text(client.get(path))
    assert "1 of 4 has voted · 2 needed · passes with more yes than no and no block" in text
    assert text.count("of 4 has voted") == 1  # a draft has no standing

    def grow():
        for i in range(15):
            more = propose(circle, people[i % 4], title=f"More {i}")
            for person in people[:3]:
                ballot_cast(proposal=more, voter=person, choice="yes")

    assert_query_budget(lambda: client.get(path), budget=11, grow_data=grow, label="list")
    assert "3 of 4 have voted · quorum reached" in page_text(client.get(path))


def test_the_proposal_page_does_not_grow_with_ballots(client):
    circle, people = make_circle(members=12)
    proposal = propose(circle, people[0])
    ballot_cast(proposal=proposal, voter=people[1], choice="yes")
    client.force_login(people[0])

    def grow():
        for person in people[2:11]:
            ballot_cast(proposal=proposal, voter=person, choice="no")

    assert_query_budget(
        lambda: client.get(proposal_url(proposal)), budget=15, grow_data=grow, label="proposal"
    )


# --- The last ballot: header and result together -----------------------------------------


@pytest.fixture
def last_vote():
    """A circle of three where two have voted yes; the proposer casts the last ballot."""
    circle, people = make_circle(members=3)
    proposal = propose(circle, people[0], title="Buy a kettle")
    for person in people[1:]:
        ballot_cast(proposal=proposal, voter=person, choice="yes")
    vote_url = reverse("governance:vote", args=[circle.slug, proposal.pk])
    return proposal, people, vote_url


def test_with_htmx_the_last_ballot_swaps_the_result_the_header_and_the_message(client, last_vote):
    proposal, people, vote_url = last_vote
    client.force_login(people[0])
    page = client.get(proposal_url(proposal)).content.decode()
    assert "Withdraw this proposal" in page
    assert 'name="text"' in page  # the comment form

    response = client.post(vote_url, {"choice": "no"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" not in html
    header = re.search(r'<p class="status-line" id="proposal-status"[^>]*>.*?</p>', html, re.S)
    assert header, html
    assert 'hx-swap-oob="true"' in header.group(0)
    assert "passed" in header.group(0)
    assert "closes in" not in header.group(0)
    assert "Decided: passed" in html
    # Into the live region that stays in the page, so a screen reader hears it.
    assert re.search(
        r'<div id="vote-message" role="status" hx-swap-oob="innerHTML">\s*<div class="messages">'
        r'<p class="message success">Everyone has voted, so the proposal is decided.</p>',
        html,
    )
    # What a close takes away goes too: withdrawing, and the comment form.
    assert re.search(r'<div id="proposer-actions" hx-swap-oob="true">\s*</div>', html)
    assert re.search(r'<div id="comment-form" hx-swap-oob="true">\s*</div>', html)
    # Shown once: the next page load does not repeat it.
    assert "Everyone has voted" not in client.get(proposal_url(proposal)).content.decode()


def test_an_htmx_ballot_that_does_not_close_shows_its_message_at_once(client, last_vote):
    _proposal, people, vote_url = last_vote
    client.force_login(people[1])
    html = client.post(vote_url, {"choice": "no"}, **HTMX).content.decode()
    assert "Your vote is recorded." in html
    assert "2 of 3 voters have voted." in html
    assert "closes in" in html  # the header, still open
    assert "comment-form" not in html  # nothing else to change while it is open


def test_without_javascript_the_last_ballot_shows_one_consistent_page(client, last_vote):
    _proposal, people, vote_url = last_vote
    client.force_login(people[0])
    response = client.post(vote_url, {"choice": "yes"}, follow=True)
    html = response.content.decode()
    assert "hx-swap-oob" not in html
    assert html.count("Everyone has voted, so the proposal is decided.") == 1
    header = re.search(r'id="proposal-status"[^>]*>.*?</p>', html, re.S).group(0)
    assert "passed" in header and "closes in" not in header
    assert "Decided: passed" in html
    assert "Withdraw this proposal" not in html


# --- Amendments: from the current text, shown as a diff ---------------------------------


def test_the_word_diff_marks_words_and_escapes_everything():
    html = word_diff("Be <b>kind</b> & calm.", "Be <script>alert(1)</script> & calm.")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;kind&lt;/b&gt;" in html
    assert "&amp; calm." in html
    assert re.search(r'<del><span class="visually-hidden">removed: </span>[^<]*kind', html)
    assert re.search(r'<ins><span class="visually-hidden">added: </span>[^<]*script', html)
    assert word_diff("one\ntwo", "one\ntwo three") == (
        'one<br>two <ins><span class="visually-hidden">added: </span>three</ins>'
    )


def test_propose_an_amendment_starts_from_the_current_text(client):
    circle, people = make_circle(members=1)
    agreement = agreement_in(circle, people, title="Quiet hours", text='Calls <end> at "10pm".')
    client.force_login(people[0])
    agreement_page = client.get(reverse("governance:agreement", args=[circle.slug, agreement.pk]))
    link = re.search(r'href="([^"]*kind=amend_agreement[^"]*)"', agreement_page.content.decode())
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r"<textarea[^>]*>\s*Calls &lt;end&gt; at &quot;10pm&quot;.</textarea>", form)
    assert 'value="Quiet hours"' in form
    assert "This is the current text of “Quiet hours”: change what should change." in form
    # The agreement is fixed, not a menu: its text could not end up in another agreement.
    assert re.search(rf'<input type="hidden" name="agreement" value="{agreement.pk}"', form)
    assert "<select" not in form.split('name="agreement"')[0][-200:]


def test_with_several_agreements_the_amendment_asks_which_first(client):
    circle, people = make_circle(members=1)
    agreement_in(circle, people, title="Quiet hours", text="No calls after 10pm.")
    second = agreement_in(circle, people, title="Care", text="We check in.")
    client.force_login(people[0])
    new = reverse("governance:proposal_new", args=[circle.slug])
    choice = client.get(new + "?kind=amend_agreement").content.decode()
    assert "Which agreement would you like to amend?" in choice
    assert f"?kind=amend_agreement&amp;agreement={second.pk}" in choice
    form = client.get(f"{new}?kind=amend_agreement&agreement={second.pk}").content.decode()
    assert "We check in.</textarea>" in form
    for junk in ["²", "99999999999999999999999", "abc"]:
        response = client.get(f"{new}?kind=amend_agreement&agreement={junk}")
        html = response.content.decode()
        assert response.status_code == 200  # the first in the menu, with its text
        assert re.search(rf'<input type="hidden" name="agreement" value="{second.pk}"', html)
        assert "We check in.</textarea>" in html


def test_an_amendment_shows_its_change_as_an_escaped_word_diff(client):
    circle, people = make_circle(members=2)
    agreement = agreement_in(circle, people, title="Quiet hours", text="Lights out at 10pm.")
    amend = propose(
        circle,
        people[0],
        ProposalKind.AMEND_AGREEMENT,
        {"agreement": agreement, "title": "Quiet hours", "text": "Lights out at <script>11pm."},
    )
    client.force_login(people[1])
    html = client.get(proposal_url(amend)).content.decode()
    diff = re.search(r'<div class="diff">(.*?)</div>', html, re.S).group(1)
    assert "<script>" not in html.split('<div class="diff">')[1].split("</div>")[0]
    assert diff.startswith("Lights out at ")
    assert '<del><span class="visually-hidden">removed: </span>10pm.</del>' in diff
    assert '<ins><span class="visually-hidden">added: </span>&lt;script&gt;11pm.</ins>' in diff
    assert "<table>" not in html  # the diff replaces the before/after table


def test_the_list_never_says_quorum_reached_when_there_is_no_quorum(client):
    circle, people = make_circle(members=4)
    set_rules(circle, quorum_percent=0)
    propose(circle, people[0], title="Paint the hall")
    client.force_login(people[0])
    text = page_text(client.get(reverse("governance:proposals", args=[circle.slug])))
    assert "0 of 4 have voted · no quorum · passes with more yes than no" in text
    assert "quorum reached" not in text
