"""The forms of networks: a circle's proposals to found, join and leave (through governance's
proposal form, as a member makes them), and putting a question to a network. Bad input gets
a clear message, keeps what was typed, and leaks nothing about a private network."""

import pytest
from django.urls import reverse

from governance.models import Proposal, ProposalKind
from governance.networks.forms.questions import AskQuestionForm
from governance.networks.models import NetworkMethod, NetworkVisibility, QuestionKind
from tests.factories import make_circle
from tests.networks.sharing_setup import joined_network, leave

pytestmark = pytest.mark.django_db

NOT_FOUND_MESSAGE = "No network has that address or code."


def propose(client, circle, person, kind: str, **fields):
    client.force_login(person)
    data = {
        "kind": kind,
        "title": "Our network decision",
        "reason": "We talked about it.",
        "open_now": "on",
        **fields,
    }
    return client.post(reverse("governance:proposal_new", args=[circle.slug]), data)


def form_page(client, circle, person, kind: str, **query) -> str:
    client.force_login(person)
    url = reverse("governance:proposal_new", args=[circle.slug])
    return client.get(url, {"kind": kind, **query}).content.decode()


# --- Founding ---------------------------------------------------------------------------


def test_founding_records_the_network_the_circle_would_make(client):
    circle, (person,) = make_circle(members=1)
    response = propose(
        client,
        circle,
        person,
        ProposalKind.FOUND_NETWORK,
        name="Valley Mutual Aid",
        purpose="Circles of the valley helping each other.",
        method=NetworkMethod.CONSENSUS,
        visibility=NetworkVisibility.PUBLIC,
    )
    proposal = Proposal.objects.get(circle=circle, kind=ProposalKind.FOUND_NETWORK)
    assert response.status_code == 302
    assert proposal.change == {
        "name": "Valley Mutual Aid",
        "purpose": "Circles of the valley helping each other.",
        "method": "consensus",
        "visibility": "public",
        "show_name": False,
    }


def test_only_a_private_circle_is_asked_whether_to_show_its_name(client):
    public, (someone,) = make_circle(members=1)
    private, (other,) = make_circle(members=1, visibility="private")
    assert 'type="checkbox" name="show_name"' not in form_page(
        client, public, someone, ProposalKind.FOUND_NETWORK
    )
    assert 'type="checkbox" name="show_name"' in form_page(
        client, private, other, ProposalKind.FOUND_NETWORK
    )
    propose(
        client,
        private,
        other,
        ProposalKind.FOUND_NETWORK,
        name="Quiet network",
        purpose="Private circles together.",
        method="majority",
        visibility="private",
        show_name="on",
    )
    assert Proposal.objects.get(circle=private).change["show_name"] is True


def test_founding_without_a_name_keeps_what_was_typed(client):
    circle, (person,) = make_circle(members=1)
    response = propose(
        client,
        circle,
        person,
        ProposalKind.FOUND_NETWORK,
        name="",
        purpose="Circles of the valley helping each other.",
        method="majority",
        visibility="public",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in content
    assert "Circles of the valley helping each other." in content
    assert not Proposal.objects.filter(circle=circle).exists()


# --- Joining ----------------------------------------------------------------------------


@pytest.fixture
def networks(db):
    """A public and a private network, each of one other circle."""
    other, _people = make_circle(members=1)
    public = joined_network([other], name="Open Valley")
    private = joined_network([other], name="Quiet Valley", visibility="private")
    return public, private


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n.slug,
        lambda n: f"/n/{n.slug}/",
        lambda n: f"https://peernet.example/n/{n.slug}/",
        lambda n: n.join_code,
    ],
    ids=["address", "path", "url", "code"],
)
def test_a_public_network_is_found_by_address_url_or_code(client, networks, typed):
    public, _private = networks
    circle, (person,) = make_circle(members=1)
    response = propose(client, circle, person, ProposalKind.JOIN_NETWORK, network=typed(public))
    assert response.status_code == 302
    change = Proposal.objects.get(circle=circle).change
    assert change == {"network_id": public.pk, "network_name": "Open Valley", "show_name": False}


def test_a_private_network_is_found_only_by_its_code(client, networks):
    _public, private = networks
    circle, (person,) = make_circle(members=1)
    by_address = propose(client, circle, person, ProposalKind.JOIN_NETWORK, network=private.slug)
    missing = propose(client, circle, person, ProposalKind.JOIN_NETWORK, network="no-such-network")
    # Exactly as a network that does not exist: nothing tells the private one is there.
    for response, typed in [(by_address, private.slug), (missing, "no-such-network")]:
        content = response.content.decode()
        assert response.status_code == 200
        assert NOT_FOUND_MESSAGE in content
        assert f'value="{typed}"' in content
        assert "Quiet Valley" not in content
    assert not Proposal.objects.filter(circle=circle).exists()
    propose(client, circle, person, ProposalKind.JOIN_NETWORK, network=private.join_code)
    assert Proposal.objects.get(circle=circle).change["network_id"] == private.pk


def test_joining_a_network_twice_says_so_and_keeps_what_was_typed(client, networks):
    public, _private = networks
    circle, (person,) = make_circle(members=1)
    joined_network([circle], name="Elsewhere")
    public.memberships.create(circle=circle)
    response = propose(client, circle, person, ProposalKind.JOIN_NETWORK, network=public.slug)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Your circle is already in Open Valley." in content
    assert f'value="{public.slug}"' in content
    assert not Proposal.objects.filter(circle=circle).exists()


# --- Leaving ----------------------------------------------------------------------------


def test_a_circle_leaves_only_a_network_it_is_in(client, networks):
    public, private = networks
    circle, (person,) = make_circle(members=1)
    private.memberships.create(circle=circle)
    page = form_page(client, circle, person, ProposalKind.LEAVE_NETWORK, network=private.pk)
    # The link from the circle's Networks page chose it; the other is no choice.
    assert f'<option value="{private.pk}" selected>Quiet Valley</option>' in page
    assert "Open Valley" not in page
    refused = propose(client, circle, person, ProposalKind.LEAVE_NETWORK, network=public.pk)
    assert refused.status_code == 200
    assert "Your circle is not in that network." in refused.content.decode()
    propose(client, circle, person, ProposalKind.LEAVE_NETWORK, network=private.pk)
    change = Proposal.objects.get(circle=circle).change
    assert change == {"network_id": private.pk, "network_name": "Quiet Valley"}


def test_a_circle_that_left_cannot_propose_leaving_again(client, networks):
    public, _private = networks
    circle, (person,) = make_circle(members=1)
    public.memberships.create(circle=circle)
    leave(public, circle)
    refused = propose(client, circle, person, ProposalKind.LEAVE_NETWORK, network=public.pk)
    assert "Your circle is not in that network." in refused.content.decode()
    assert not Proposal.objects.filter(circle=circle).exists()


# --- Asking a question ------------------------------------------------------------------


def ask_form(network, circles, **data):
    return AskQuestionForm(
        {"title": "A question", "reason": "Because.", **data}, network=network, circles=circles
    )


def test_each_kind_asks_for_its_own_fields(networks):
    public, _private = networks
    circle = public.memberships.get().circle
    missing_kind = ask_form(public, [circle], circle=circle.pk)
    assert missing_kind.errors["kind"] == ["Choose what kind of question it is."]
    adopt = ask_form(public, [circle], circle=circle.pk, kind=QuestionKind.ADOPT_AGREEMENT)
    assert adopt.errors == {"agreement_text": ["Write the shared agreement's text."]}
    change = ask_form(public, [circle], circle=circle.pk, kind=QuestionKind.CHANGE_METHOD)
    assert change.errors == {"method": ["Choose the new way the network would decide."]}
    resolution = ask_form(public, [circle], circle=circle.pk, kind=QuestionKind.RESOLUTION)
    assert resolution.is_valid()
    assert resolution.change_data() == {}


def test_the_question_carries_the_change_its_kind_needs(networks):
    public, _private = networks
    circle = public.memberships.get().circle
    adopt = ask_form(
        public,
        [circle],
        circle=circle.pk,
        kind=QuestionKind.ADOPT_AGREEMENT,
        agreement_text="We lend tools.",
        method="consensus",  # another kind's field: not part of this question
    )
    assert adopt.is_valid()
    assert adopt.change_data() == {"title": "", "text": "We lend tools."}
    change = ask_form(
        public, [circle], circle=circle.pk, kind=QuestionKind.CHANGE_METHOD, method="consensus"
    )
    assert change.is_valid()
    assert change.change_data() == {"method": "consensus"}


def test_a_question_is_asked_only_in_the_name_of_ones_own_circle_in_the_network(networks):
    public, _private = networks
    circle = public.memberships.get().circle
    elsewhere, _people = make_circle(members=1)
    form = ask_form(public, [circle], circle=elsewhere.pk, kind=QuestionKind.RESOLUTION)
    assert not form.is_valid()
    assert "circle" in form.errors
    # Admitting a circle is not asked this way, only by a circle's own proposal to join.
    admit = ask_form(public, [circle], circle=circle.pk, kind=QuestionKind.ADMIT_CIRCLE)
    assert "kind" in admit.errors


def test_the_new_way_of_deciding_starts_at_the_other_one(networks):
    public, _private = networks
    circle = public.memberships.get().circle
    form = AskQuestionForm(network=public, circles=[circle])
    assert form.fields["method"].initial == NetworkMethod.CONSENSUS
    # One circle: which circle asks is not a question.
    assert form.fields["circle"].widget.is_hidden
    two = AskQuestionForm(network=public, circles=[circle, make_circle()[0]])
    assert not two.fields["circle"].widget.is_hidden


@pytest.mark.parametrize("odd", ["a\x00b", "²", "9" * 30, "9" * 5000, "x" * 10_000 + "\u200b"])
def test_odd_input_to_the_question_form_is_refused_clearly(client, networks, odd):
    public, _private = networks
    circle = public.memberships.get().circle
    client.force_login(circle.memberships.get().user)
    fields = ["circle", "kind", "title", "reason", "agreement_title", "agreement_text", "method"]
    response = client.post(reverse("networks:ask", args=[public.slug]), dict.fromkeys(fields, odd))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not public.questions.exists()
    assert client.get(public.get_absolute_url(), {"page": odd}).status_code == 200
