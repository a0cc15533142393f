"""Data rights: export everything of mine, delete my account with nothing of others lost."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from circles import services as circle_services
from circles.models import Membership, Message, Post
from governance.models import Ballot, Proposal, ProposalKind, Voter
from governance.services import ballot_cast, comment_add
from peernet.members.data_rights import AccountGone, account_delete
from peernet.members.models import NotificationSettings, User
from peernet.notify.models import Notification
from tests.factories import UserFactory, make_circle, make_member, make_post, make_report
from tests.governance.conftest import propose

pytestmark = pytest.mark.django_db

# Distinctive values, so a search of every table can tell whether any survived.
PERSONAL = {
    "display_name": "Quillon Marsh",
    "email": "quillon.marsh@example.org",
    "pronouns": "xe/xem",
    "bio": "Gardener of odd tomatoes",
    "languages": "Esperanto and Basque",
    "area": "Upper Wexbridge",
    "lived_experience": "Years of living with voices",
}
OTHERS_SECRET = "Only Olu should ever read this line"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Quillon, in a circle with Olu and Pat, has done a bit of everything."""
    circle, (olu, pat) = make_circle(members=2, name="Huerta")
    me = UserFactory(display_name=PERSONAL["display_name"], email=PERSONAL["email"])
    profile = me.profile
    for field in ("pronouns", "bio", "languages", "area", "lived_experience"):
        setattr(profile, field, PERSONAL[field])
    profile.help_categories = ["food"]
    profile.save()
    make_member(circle, me)
    Membership.objects.filter(user=me).update(share_bio=True, share_pronouns=True)
    NotificationSettings.objects.create(user=me, posts="now", digest_frequency="daily")

    with django_capture_on_commit_callbacks(execute=True):
        open_need = make_post(circle, me, title="Quillon's open need")
        done_offer = make_post(circle, me, kind="offer", title="Quillon's jam", category="food")
        secret_need = make_post(circle, me, title="A private worry", anonymous=True)
        olu_post = make_post(circle, olu, title="Olu needs a ladder", category="items")
        mine = circle_services.response_create(post=olu_post, responder=me, text="Mine to lend.")
        circle_services.message_send(response=mine, sender=olu, text=OTHERS_SECRET)
        taken = circle_services.response_create(post=done_offer, responder=pat, text="Yes please")
        circle_services.response_accept(post=done_offer, author=me, response=taken)
        circle_services.post_fulfil(post=done_offer, author=me, thank_you="Enjoy it.")
        make_report(circle, me, "post", olu_post.pk, words="Just testing reports")
        # A report about me says who reported: it is never part of my data.
        make_report(circle, olu, "member", me.pk, words="About Quillon")

        closed = propose(circle, olu, ProposalKind.RESOLUTION, title="Buy a shared ladder")
        for voter, choice in ((me, "yes"), (olu, "yes"), (pat, "no")):
            ballot_cast(proposal=closed, voter=voter, choice=choice)
        still_open = propose(circle, pat, ProposalKind.RESOLUTION, title="Paint the shed")
        ballot_cast(proposal=still_open, voter=me, choice="no")
        comment_add(proposal=still_open, author=me, text="Blue, please.")
        propose(circle, me, ProposalKind.RESOLUTION, title="Quillon's idea", open_now=False)
    closed.refresh_from_db()
    assert closed.status == "passed"
    return {
        "circle": circle,
        "me": me,
        "olu": olu,
        "pat": pat,
        "open_need": open_need,
        "done_offer": done_offer,
        "secret_need": secret_need,
        "olu_post": olu_post,
        "conversation": mine,
        "closed": closed,
        "still_open": still_open,
    }


def _export(client, person, **params):
    client.force_login(person)
    answer = client.get(reverse("members:data_export"), params)
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith('attachment; filename="peernet-my-data-')
    return answer.content.decode(), json.loads(answer.content)


# --- Export -----------------------------------------------------------------------------


def test_my_export_holds_every_kind_of_my_data(client, world):
    _raw, data = _export(client, world["me"])
    assert data["account"]["email"] == PERSONAL["email"]
    assert data["account"]["display_name"] == PERSONAL["display_name"]
    assert data["profile"]["lived_experience"] == PERSONAL["lived_experience"]
    assert data["profile"]["help_categories"] == ["food"]
    assert data["notification_preferences"]["digest_frequency"] == "daily"
    (membership,) = data["memberships"]
    assert membership["circle"] == "Huerta"
    assert membership["shared_with_circle"]["share_bio"] is True
    titles = {p["title"]: p for p in data["posts"]}
    assert set(titles) == {"Quillon's open need", "Quillon's jam", "A private worry"}
    assert titles["A private worry"]["anonymous"] is True
    assert titles["Quillon's jam"]["thank_you"] == "Enjoy it."
    assert [m["text"] for m in data["messages_written"]] == ["Mine to lend."]
    assert [r["post"] for r in data["responses"]] == ["Olu needs a ladder"]
    assert [r["words"] for r in data["reports_made"]] == ["Just testing reports"]
    assert "About Quillon" not in json.dumps(data)
    assert {(b["proposal"], b["choice"]) for b in data["ballots"]} == {
        ("Buy a shared ladder", "yes"),
        ("Paint the shed", "no"),
    }
    assert [c["text"] for c in data["comments"]] == ["Blue, please."]
    assert [p["title"] for p in data["proposals"]] == ["Quillon's idea"]
    assert data["notifications"], "notifications are part of my data"


def test_my_export_holds_nothing_private_of_anyone_else(client, world):
    raw, _data = _export(client, world["me"])
    assert OTHERS_SECRET not in raw
    for other in (world["olu"], world["pat"]):
        assert other.email not in raw


def test_no_one_can_export_someone_else(client, world):
    raw, data = _export(client, world["olu"], user=world["me"].pk, email=PERSONAL["email"])
    assert data["account"]["email"] == world["olu"].email
    assert PERSONAL["lived_experience"] not in raw
    client.logout()
    assert client.get(reverse("members:data_export")).status_code == 302


# --- Deletion ---------------------------------------------------------------------------


def _rows_mentioning(value: str) -> list[str]:
    """Every table whose rows, as text, contain value (case-insensitive)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" t WHERE t::text ILIKE %s',
                [f"%{value}%"],
            )
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def _decision_log():
    return list(
        Proposal.objects.closed()
        .order_by("pk")
        .values(
            "pk",
            "electorate_size",
            "ballots_cast",
            "yes_count",
            "no_count",
            "abstain_count",
            "quorum_met",
            "threshold_met",
        )
    )


def test_deleting_my_account_erases_me_and_keeps_the_circle_whole(client, world):
    me, olu = world["me"], world["olu"]
    log_before = _decision_log()
    messages_before = Message.objects.count()
    assert _rows_mentioning(PERSONAL["display_name"]), "the search must be able to find it"

    client.force_login(me)
    page = client.get(reverse("members:delete"))
    assert "Your ballots in decisions already made still count" in page.content.decode()
    answer = client.post(reverse("members:delete"), {"confirm": "on"}, follow=True)
    assert answer.status_code == 200
    assert "Your account is deleted." in answer.content.decode()
    assert not User.objects.filter(pk=me.pk).exists()

    for value in PERSONAL.values():
        assert _rows_mentioning(value) == [], value
    assert _decision_log() == log_before
    assert Message.objects.count() == messages_before
    assert Ballot.objects.filter(proposal=world["closed"], voter__isnull=True).count() == 1

    posts = {p.title: p for p in Post.objects.all()}
    assert posts["Quillon's open need"].status == "withdrawn"
    assert posts["Quillon's jam"].status == "fulfilled"
    assert posts["A private worry"].anonymous
    assert all(p.author_id is None for t, p in posts.items() if t != "Olu needs a ladder")

    still_open = world["still_open"]
    assert not Voter.objects.filter(proposal=still_open, user__isnull=True).exists()
    assert Ballot.objects.filter(proposal=still_open).count() == 0
    assert not Proposal.objects.filter(title="Quillon's idea").exists()  # an unopened draft
    olu_reads = [n.text for n in Notification.objects.filter(recipient=olu)]
    assert any("a former member" in text for text in olu_reads), olu_reads

    # The email is free again.
    UserFactory(email=PERSONAL["email"])


def test_other_members_pages_still_work_and_say_former_member(client, world):
    circle = world["circle"]
    account_delete(user=world["me"])
    client.force_login(world["olu"])
    conversation = reverse(
        "circles:conversation", args=[circle.slug, world["olu_post"].pk, world["conversation"].pk]
    )
    pages = {
        conversation: "former member",
        reverse("circles:post", args=[circle.slug, world["done_offer"].pk]): "former member",
        reverse("circles:post", args=[circle.slug, world["secret_need"].pk]): "a member",
        reverse("governance:proposal", args=[circle.slug, world["closed"].pk]): "former member",
        reverse("governance:proposal", args=[circle.slug, world["still_open"].pk]): "Blue",
        reverse("governance:decisions", args=[circle.slug]): "Buy a shared ladder",
        reverse("circles:members", args=[circle.slug]): world["pat"].display_name,
        reverse("circles:board", args=[circle.slug]) + "?status=": "Olu needs a ladder",
        reverse("notify:list"): "a former member",
    }
    for url, text in pages.items():
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = answer.content.decode()
        assert text in body, url
        assert PERSONAL["display_name"] not in body, url
    assert "This conversation is closed" in client.get(conversation).content.decode()


def test_deleting_twice_is_handled(client, world):
    me = world["me"]
    client.force_login(me)
    client.post(reverse("members:delete"), {"confirm": "on"})
    again = client.post(reverse("members:delete"), {"confirm": "on"})
    assert again.status_code == 302
    assert "/accounts/" in again["Location"]
    with pytest.raises(AccountGone):
        account_delete(user=me)


def test_deleting_without_confirming_keeps_everything(client, world):
    client.force_login(world["me"])
    answer = client.post(reverse("members:delete"), {})
    assert answer.status_code == 200
    assert "Tick the box to confirm" in answer.content.decode()
    assert User.objects.filter(pk=world["me"].pk).exists()


def test_staff_delete_through_the_admin_with_the_same_service(client, world, staff):
    me = world["me"]
    client.force_login(staff)
    url = reverse("admin:members_user_delete", args=[me.pk])
    confirm = client.get(url).content.decode()
    assert "Mine to lend." not in confirm
    assert "A private worry" not in confirm
    answer = client.post(url, {"post": "yes"})
    assert answer.status_code == 302
    assert not User.objects.filter(pk=me.pk).exists()
    assert Post.objects.get(title="Quillon's open need").status == "withdrawn"


def test_the_admin_shows_no_conversations_and_no_anonymous_authors(client, world, staff):
    client.force_login(staff)
    index = client.get(reverse("admin:index")).content.decode()
    assert "/admin/circles/" not in index
    for url in (
        reverse("admin:members_user_change", args=[world["me"].pk]),
        reverse("admin:members_profile_change", args=[world["me"].profile.pk]),
    ):
        body = client.get(url).content.decode()
        assert "A private worry" not in body
        assert "Mine to lend." not in body
        assert PERSONAL["lived_experience"] not in body


# --- A circle's record ------------------------------------------------------------------


def test_a_member_downloads_the_circle_record(client, world):
    circle = world["circle"]
    circle_services.post_remove_by_decision(post_id=world["olu_post"].pk)
    client.force_login(world["pat"])
    answer = client.get(reverse("governance:record_json", args=[circle.slug]))
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith(f'attachment; filename="{circle.slug}-record-')
    record = json.loads(answer.content)
    (decision,) = record["decisions"]
    assert decision["title"] == "Buy a shared ladder"
    assert (decision["tally"]["yes_count"], decision["tally"]["no_count"]) == (2, 1)
    posts = {p["title"]: p for p in record["posts"]}
    assert "Olu needs a ladder" not in posts  # removed by the circle
    assert posts["A private worry"]["by"] == "a member"
    raw = answer.content.decode()
    assert PERSONAL["email"] not in raw
    assert OTHERS_SECRET not in raw

    markdown = client.get(reverse("governance:record_markdown", args=[circle.slug]))
    assert markdown.status_code == 200
    assert markdown["Content-Type"].startswith("text/markdown")
    text = markdown.content.decode()
    assert "# Huerta" in text
    assert "### Buy a shared ladder — passed" in text
    assert "Yes 2, No 1" in text
    assert "**A private worry** (Need, Transport, open) — a member" in text
    assert PERSONAL["display_name"] not in text.split("A private worry")[1].split("\n")[0]


def test_a_record_with_agreement_history_lists_every_version(client, world):
    circle, olu, pat = world["circle"], world["olu"], world["pat"]
    added = propose(
        circle, olu, ProposalKind.ADD_AGREEMENT, {"title": "Tools", "text": "Return them."}
    )
    for voter in (world["me"], olu, pat):
        ballot_cast(proposal=added, voter=voter, choice="yes")
    client.force_login(pat)
    record = json.loads(client.get(reverse("governance:record_json", args=[circle.slug])).content)
    (agreement,) = record["agreements"]
    assert agreement["title"] == "Tools"
    assert [(v["number"], v["decision"]) for v in agreement["versions"]] == [(1, added.title)]


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("name", ["governance:record_json", "governance:record_markdown"])
def test_outsiders_cannot_see_a_circle_record(client, visibility, name):
    circle, (member, former) = make_circle(members=2, visibility=visibility)
    circle_services.membership_end(circle=circle, user=former)
    url = reverse(name, args=[circle.slug])
    for person in (UserFactory(), former, UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == (302 if visibility == "public" else 404)
    client.force_login(member)
    assert client.get(url).status_code == 200


def test_a_closed_decision_lists_the_same_ballots_whoever_leaves_or_deletes(client, world):
    circle, closed, olu, pat = world["circle"], world["closed"], world["olu"], world["pat"]
    url = reverse("governance:proposal", args=[circle.slug, closed.pk])
    client.force_login(olu)
    before = client.get(url).content.decode().count("<li>")
    circle_services.membership_end(circle=circle, user=pat)
    account_delete(user=world["me"])
    page = client.get(url).content.decode()
    assert page.count("<li>") == before
    assert f"{pat.display_name}: No" in page
    assert "former member: Yes" in page
