"""Block: one member blocks another, across every circle. Neither sees, answers or hears of
the other's posts; a conversation they had stays readable but closes; the blocked member is
never told; votes are untouched; unblocking restores everything.

Most tests run in both directions: Ana (who posts) blocks Bo, or Bo blocks Ana. Cal, a
third member, is never in a block and sees everything."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from circles.models import Circle, Message, Response
from circles.services import join_request_create, message_send, response_create
from circles.services import response_nudges_send as nudges_send
from governance.models import Voter
from governance.services import ballot_cast
from peernet.errors import DomainError
from peernet.members.choices import Delivery
from peernet.members.data_rights import account_delete, member_data_export
from peernet.members.models import Block, NotificationSettings, Profile, User
from peernet.members.selectors import blocked_either_way, is_blocked_between
from peernet.members.services import block_create, block_remove
from peernet.notify.models import EmailDelivery, Kind, Notification
from peernet.notify.services import digest_preview_send, notify
from tests.factories import UserFactory, make_circle, make_member, make_post
from tests.governance.conftest import propose
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

DIRECTIONS = ["ana_blocks_bo", "bo_blocks_ana"]


@dataclass
class Peers:
    circle: Circle
    ana: User
    bo: User
    cal: User
    blocker: User
    blocked: User

    def block(self) -> Block:
        return block_create(blocker=self.blocker, blocked=self.blocked)

    def unblock(self) -> None:
        block_remove(blocker=self.blocker, blocked=self.blocked)


@pytest.fixture(params=DIRECTIONS)
def peers(request) -> Peers:
    circle, _ = make_circle(members=0, name="Garden", slug="garden")
    ana = make_member(circle, display_name="Ana")
    bo = make_member(circle, display_name="Bo")
    cal = make_member(circle, display_name="Cal")
    blocker, blocked = (ana, bo) if request.param == "ana_blocks_bo" else (bo, ana)
    return Peers(circle, ana, bo, cal, blocker, blocked)


def page(client, viewer, url, **params):
    client.force_login(viewer)
    return client.get(url, params)


def board_url(circle) -> str:
    return reverse("circles:board", args=[circle.slug])


def post_url(post) -> str:
    return reverse("circles:post", args=[post.circle.slug, post.pk])


def conversation_url(response) -> str:
    post = response.post
    return reverse("circles:conversation", args=[post.circle.slug, post.pk, response.pk])


# --- The services --------------------------------------------------------------------------


def test_blocking_twice_keeps_one_block_and_unblocking_twice_is_fine():
    ana, bo = UserFactory(), UserFactory()
    first = block_create(blocker=ana, blocked=bo)
    assert block_create(blocker=ana, blocked=bo) == first
    assert Block.objects.count() == 1
    assert is_blocked_between(bo, ana) and is_blocked_between(ana, bo)
    block_remove(blocker=ana, blocked=bo)
    block_remove(blocker=ana, blocked=bo)
    assert not Block.objects.exists()
    assert not is_blocked_between(ana, bo)


def test_blocking_is_one_persons_act_and_only_they_undo_it():
    ana, bo = UserFactory(), UserFactory()
    block_create(blocker=ana, blocked=bo)
    block_remove(blocker=bo, blocked=ana)  # Bo cannot lift Ana's block
    assert is_blocked_between(ana, bo)
    assert set(blocked_either_way(bo)) == {ana.pk}
    assert set(blocked_either_way(ana)) == {bo.pk}


def test_nobody_can_block_themselves():
    ana = UserFactory()
    with pytest.raises(DomainError) as refused:
        block_create(blocker=ana, blocked=ana)
    assert refused.value.message == "You can't block yourself."
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(blocker=ana, blocked=ana)  # the database says so too
    assert not Block.objects.exists()


# --- Boards --------------------------------------------------------------------------------


@pytest.mark.parametrize("anonymous", [False, True])
def test_boards_leave_out_the_others_posts_both_ways_until_unblocked(client, peers, anonymous):
    ana_need = make_post(peers.circle, peers.ana, title="Ana needs a lift", anonymous=anonymous)
    make_post(peers.circle, peers.bo, kind="offer", title="Bo offers soup", category="food")
    peers.block()
    boards = [board_url(peers.circle), reverse("circles:my_board")]
    for url in boards:
        bo_sees = page(client, peers.bo, url).content.decode()
        assert "Ana needs a lift" not in bo_sees
        assert "Bo offers soup" in bo_sees
        ana_sees = page(client, peers.ana, url).content.decode()
        assert "Bo offers soup" not in ana_sees
        assert "Ana needs a lift" in ana_sees
        cal_sees = page(client, peers.cal, url).content.decode()
        assert "Ana needs a lift" in cal_sees and "Bo offers soup" in cal_sees
    home = page(client, peers.bo, reverse("circles:home", args=[peers.circle.slug]))
    assert "Ana needs a lift" not in home.content.decode()
    peers.unblock()
    for url in boards:
        assert "Ana needs a lift" in page(client, peers.bo, url).content.decode()
        assert "Bo offers soup" in page(client, peers.ana, url).content.decode()
    assert ana_need.title in page(client, peers.bo, board_url(peers.circle)).content.decode()


def test_a_block_adds_no_query_to_the_board(client, peers):
    for n in range(5):
        make_post(peers.circle, peers.ana, title=f"Post {n}")
        make_post(peers.circle, peers.cal, title=f"Other {n}")
    client.force_login(peers.bo)
    url = board_url(peers.circle)
    before, answer = count_queries(client.get, url)
    assert answer.status_code == 200
    peers.block()
    after, answer = count_queries(client.get, url)
    assert answer.status_code == 200
    # What the first view cached for Bo (unread count, badges) may make it fewer.
    assert after <= before
    assert "Post 0" not in answer.content.decode()
    assert "Other 0" in answer.content.decode()


def test_matching_posts_on_a_post_page_leave_out_the_other(client, peers):
    make_post(peers.circle, peers.ana, kind="offer", title="Ana's spare soup", category="food")
    cal_need = make_post(peers.circle, peers.cal, title="Cal needs food", category="food")
    peers.block()
    assert (
        "Ana&#x27;s spare soup" not in page(client, peers.bo, post_url(cal_need)).content.decode()
    )
    assert "Ana&#x27;s spare soup" in page(client, peers.cal, post_url(cal_need)).content.decode()


# --- Post page and responding --------------------------------------------------------------


def test_the_others_post_page_is_a_404_both_ways_until_unblocked(client, peers):
    ana_post = make_post(peers.circle, peers.ana, title="Ana needs a lift")
    bo_post = make_post(peers.circle, peers.bo, kind="offer", title="Bo's soup", category="food")
    peers.block()
    assert page(client, peers.bo, post_url(ana_post)).status_code == 404
    assert page(client, peers.ana, post_url(bo_post)).status_code == 404
    assert page(client, peers.cal, post_url(ana_post)).status_code == 200
    assert page(client, peers.ana, post_url(ana_post)).status_code == 200  # one's own post
    peers.unblock()
    assert page(client, peers.bo, post_url(ana_post)).status_code == 200
    assert page(client, peers.ana, post_url(bo_post)).status_code == 200


@pytest.mark.parametrize("anonymous", [False, True])
def test_responding_to_the_others_post_is_refused_both_ways_until_unblocked(
    client, peers, anonymous
):
    post = make_post(peers.circle, peers.ana, title="Ana needs a lift", anonymous=anonymous)
    peers.block()
    client.force_login(peers.bo)
    respond = reverse("circles:post_respond", args=[peers.circle.slug, post.pk])
    answer = client.post(respond, {"text": "I can drive you."})
    assert answer.status_code == 404
    assert not Response.objects.exists()
    with pytest.raises(DomainError) as refused:
        response_create(post=post, responder=peers.bo, text="I can drive you.")
    assert "block" not in refused.value.message.lower()
    assert not Response.objects.exists()
    assert not Notification.objects.filter(recipient=peers.ana).exists()
    peers.unblock()
    answer = client.post(respond, {"text": "I can drive you."})
    assert answer.status_code == 302
    assert Response.objects.get().responder == peers.bo


# --- Conversations -------------------------------------------------------------------------


@pytest.fixture
def talk(peers):
    """Bo responded to Ana's need before the block; they wrote to each other."""
    post = make_post(peers.circle, peers.ana, title="Ana needs a lift")
    response = response_create(post=post, responder=peers.bo, text="I can drive you.")
    message_send(response=response, sender=peers.ana, text="Thank you, Tuesday?")
    return response


def test_a_conversation_stays_readable_by_both_but_closes(client, peers, talk):
    peers.block()
    for viewer in (peers.ana, peers.bo):
        answer = page(client, viewer, conversation_url(talk))
        assert answer.status_code == 200
        text = answer.content.decode()
        assert "I can drive you." in text and "Thank you, Tuesday?" in text
        assert "This conversation is closed." in text
        assert 'name="text"' not in text  # no message form


def test_writing_in_a_closed_conversation_is_refused_both_ways_until_unblocked(client, peers, talk):
    peers.block()
    for sender in (peers.ana, peers.bo):
        client.force_login(sender)
        answer = client.post(conversation_url(talk), {"text": "Are you there?"})
        assert answer.status_code == 400
        assert "This conversation is closed." in answer.content.decode()
        with pytest.raises(DomainError) as refused:
            message_send(response=talk, sender=sender, text="Are you there?")
        assert refused.value.message == "This conversation is closed."
    assert not Message.objects.filter(text="Are you there?").exists()
    peers.unblock()
    for sender in (peers.ana, peers.bo):
        client.force_login(sender)
        assert client.post(conversation_url(talk), {"text": "Back again"}).status_code == 302
    assert Message.objects.filter(text="Back again").count() == 2


def test_an_htmx_message_to_a_closed_conversation_gets_the_refusal_in_the_fragment(
    client, peers, talk
):
    peers.block()
    client.force_login(peers.bo)
    answer = client.post(conversation_url(talk), {"text": "Hello?"}, headers={"HX-Request": "true"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "This conversation is closed." in text and "<html" not in text


def test_the_blocked_side_is_never_told_it_was_blocked(client, peers, talk):
    ana_post = make_post(peers.circle, peers.ana, title="Ana's second need")
    peers.block()
    blocked_page = page(client, peers.blocked, conversation_url(talk)).content.decode()
    assert "blocked" not in blocked_page.lower()
    assert "This conversation is closed." in blocked_page
    blocker_page = page(client, peers.blocker, conversation_url(talk)).content.decode()
    assert "You blocked this member." in blocker_page
    assert reverse("members:blocked") in blocker_page
    # The blocked member's own pages say nothing either: the blocker is listed as usual.
    members = page(client, peers.blocked, reverse("circles:members", args=[peers.circle.slug]))
    assert "You blocked" not in members.content.decode()
    assert (
        page(client, peers.blocked, reverse("members:blocked")).content.decode().count("Unblock")
        == 0
    )
    assert not Notification.objects.filter(recipient=peers.blocked).exclude(
        created_at__lt=Block.objects.get().created_at
    )
    if peers.blocked == peers.bo:
        assert page(client, peers.bo, post_url(ana_post)).status_code == 404


def test_opening_a_new_conversation_after_a_block_is_refused_both_ways(client, peers):
    """The other way round from the fixture: Ana answers Bo's offer."""
    offer = make_post(peers.circle, peers.bo, kind="offer", title="Bo's soup", category="food")
    peers.block()
    client.force_login(peers.ana)
    respond = reverse("circles:post_respond", args=[peers.circle.slug, offer.pk])
    assert client.post(respond, {"text": "I'd love some."}).status_code == 404
    assert not Response.objects.exists()


def test_an_anonymous_authors_responder_learns_nothing_from_a_block(client, peers):
    need = make_post(peers.circle, peers.ana, title="A private worry", anonymous=True)
    response = response_create(post=need, responder=peers.bo, text="I'm here to listen.")
    before = page(client, peers.bo, conversation_url(response)).content.decode()
    # The responder is offered no way to block the anonymous author: it would name them.
    assert reverse("circles:member_block", args=[peers.circle.slug, peers.ana.pk]) not in before
    author_page = page(client, peers.ana, conversation_url(response)).content.decode()
    assert reverse("circles:member_block", args=[peers.circle.slug, peers.bo.pk]) in author_page
    peers.block()
    after = page(client, peers.bo, conversation_url(response)).content.decode()
    assert "block" not in after.lower()
    assert "Ana" not in after
    assert "This conversation is closed." in after


def test_the_conversation_page_offers_to_block_the_other_person(client, peers, talk):
    for viewer, other in ((peers.ana, peers.bo), (peers.bo, peers.ana)):
        text = page(client, viewer, conversation_url(talk)).content.decode()
        block_url = reverse("circles:member_block", args=[peers.circle.slug, other.pk])
        assert block_url in text
    client.force_login(peers.ana)
    block_url = reverse("circles:member_block", args=[peers.circle.slug, peers.bo.pk])
    answer = client.post(block_url, {"next": conversation_url(talk)})
    assert answer.status_code == 302 and answer.url == conversation_url(talk)
    text = client.get(answer.url).content.decode()
    assert "You blocked this member." in text
    assert block_url not in text


# --- Notifications -------------------------------------------------------------------------


def wants_posts_now(*people):
    for person in people:
        NotificationSettings.objects.update_or_create(user=person, defaults={"posts": Delivery.NOW})


def can_help_with(person, *categories):
    Profile.objects.update_or_create(user=person, defaults={"help_categories": list(categories)})


def heard(person, kind=None) -> list[str]:
    notices = Notification.objects.filter(recipient=person)
    if kind:
        notices = notices.filter(kind=kind)
    return [n.text for n in notices.order_by("pk")]


def test_notify_leaves_out_recipients_in_a_block_with_the_actor(peers):
    notify(
        recipients=[peers.bo, peers.cal],
        kind=Kind.NEW_RESPONSE,
        message="%(name)s did something.",
        actor=peers.ana,
    )
    assert heard(peers.bo) == ["Ana did something."]
    peers.block()
    notify(
        recipients=[peers.bo, peers.cal],
        kind=Kind.NEW_RESPONSE,
        message="%(name)s did it again.",
        actor=peers.ana,
    )
    assert heard(peers.bo) == ["Ana did something."]
    assert heard(peers.cal) == ["Ana did something.", "Ana did it again."]
    peers.unblock()
    notify(
        recipients=[peers.bo], kind=Kind.NEW_RESPONSE, message="%(name)s is back.", actor=peers.ana
    )
    assert heard(peers.bo) == ["Ana did something.", "Ana is back."]


@pytest.mark.parametrize("anonymous", [False, True])
def test_new_posts_are_not_announced_to_the_other_both_ways(
    peers, anonymous, django_capture_on_commit_callbacks
):
    wants_posts_now(peers.ana, peers.bo, peers.cal)
    peers.block()
    with django_capture_on_commit_callbacks(execute=True):
        make_post(peers.circle, peers.ana, title="Ana needs a lift", anonymous=anonymous)
        make_post(peers.circle, peers.bo, kind="offer", title="Bo's bike", category="items")
    assert heard(peers.bo) == []
    assert heard(peers.ana) == []
    assert len(heard(peers.cal)) == 2
    peers.unblock()
    with django_capture_on_commit_callbacks(execute=True):
        make_post(peers.circle, peers.ana, title="Ana needs a ladder", anonymous=anonymous)
    assert heard(peers.bo) == ["New need in Garden: “Ana needs a ladder”."]


@pytest.mark.parametrize("anonymous", [False, True])
def test_a_need_is_not_matched_to_a_blocked_helper_both_ways(peers, anonymous):
    can_help_with(peers.bo, "transport")
    can_help_with(peers.cal, "transport")
    peers.block()
    make_post(peers.circle, peers.ana, title="Ana needs a lift", anonymous=anonymous)
    assert heard(peers.bo, Kind.POST_MATCHED) == []
    assert len(heard(peers.cal, Kind.POST_MATCHED)) == 1
    peers.unblock()
    make_post(peers.circle, peers.ana, title="Another lift", anonymous=anonymous)
    assert heard(peers.bo, Kind.POST_MATCHED) == [
        "A need in Garden matches what you can help with: “Another lift”."
    ]


@pytest.mark.parametrize("anonymous", [False, True])
def test_an_offer_is_not_matched_to_a_blocked_needs_author_both_ways(peers, anonymous):
    make_post(peers.circle, peers.ana, title="Ana needs food", category="food", anonymous=anonymous)
    make_post(peers.circle, peers.cal, title="Cal needs food", category="food")
    peers.block()
    make_post(peers.circle, peers.bo, kind="offer", title="Bo's soup", category="food")
    assert heard(peers.ana, Kind.POST_MATCHED) == []
    assert len(heard(peers.cal, Kind.POST_MATCHED)) == 1
    peers.unblock()
    make_post(peers.circle, peers.bo, kind="offer", title="Bo's bread", category="food")
    assert heard(peers.ana, Kind.POST_MATCHED) == [
        "An offer in Garden may help with your need “Ana needs food”: “Bo's bread”."
    ]


def test_no_nudge_about_a_response_from_someone_in_a_block(peers, talk):
    # Ana's reply in the fixture would stop the nudge: a fresh response without one.
    post = make_post(peers.circle, peers.ana, title="Another lift")
    with time_machine.travel(timezone.now() - timedelta(days=4)):
        waiting = response_create(post=post, responder=peers.bo, text="Still need one?")
    peers.block()
    assert nudges_send() == 0
    assert heard(peers.ana, Kind.RESPONSE_NUDGE) == []
    peers.unblock()
    assert nudges_send() == 1
    assert heard(peers.ana, Kind.RESPONSE_NUDGE)
    waiting.refresh_from_db()
    assert waiting.nudged_at is not None


def test_a_join_request_is_not_announced_to_a_member_in_a_block_with_the_applicant(peers):
    dee = UserFactory(display_name="Dee")
    block_create(blocker=peers.bo, blocked=dee)
    join_request_create(circle=peers.circle, user=dee, message="Hello")
    assert heard(peers.bo, Kind.JOIN_REQUEST) == []
    assert heard(peers.cal, Kind.JOIN_REQUEST) == ["Dee asked to join Garden."]
    assert [i["text"] for i in digest_items(peers.cal)] == [{"person": dee.pk}]
    assert digest_items(peers.bo) == []


# --- Digests -------------------------------------------------------------------------------


def digest_items(person) -> list[dict]:
    """What a digest sent now would list for this person (none: nothing to send)."""
    digests = EmailDelivery.objects.filter(recipient=person, template="digest")
    before = list(digests.values_list("pk", flat=True))
    if not digest_preview_send(user=person):
        return []
    delivery = digests.exclude(pk__in=before).get()
    return [item for s in delivery.context["sections"] for item in s["items"]]


@pytest.mark.parametrize("anonymous", [False, True])
def test_digests_leave_out_the_others_posts_both_ways_until_unblocked(peers, anonymous):
    make_post(peers.circle, peers.ana, title="Ana needs a lift", anonymous=anonymous)
    make_post(peers.circle, peers.bo, kind="offer", title="Bo's soup", category="food")
    make_post(peers.circle, peers.cal, kind="offer", title="Cal's ladder", category="items")
    peers.block()
    assert [i["text"] for i in digest_items(peers.bo)] == ["Cal's ladder", "Bo's soup"]
    assert [i["text"] for i in digest_items(peers.ana)] == ["Cal's ladder", "Ana needs a lift"]
    cal_items = digest_items(peers.cal)
    assert len(cal_items) == 3
    # Who an item is by filters it, and never reaches the email.
    assert all(set(i) <= {"circle", "text", "kind", "url"} for i in cal_items)
    peers.unblock()
    assert len(digest_items(peers.bo)) == 3
    assert len(digest_items(peers.ana)) == 3


# --- Blocking from the members page --------------------------------------------------------


def block_page(circle, person) -> str:
    return reverse("circles:member_block", args=[circle.slug, person.pk])


def test_the_members_page_offers_block_for_everyone_but_me(client, peers):
    text = page(client, peers.ana, reverse("circles:members", args=[peers.circle.slug]))
    text = text.content.decode()
    assert block_page(peers.circle, peers.bo) in text
    assert block_page(peers.circle, peers.cal) in text
    assert block_page(peers.circle, peers.ana) not in text


def test_blocking_through_the_confirmation_page(client, peers):
    members = reverse("circles:members", args=[peers.circle.slug])
    client.force_login(peers.blocker)
    confirm = client.get(block_page(peers.circle, peers.blocked), {"next": members})
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert f"Block {peers.blocked.display_name}?" in text
    assert "will not be told" in text
    assert f'value="{members}"' in text
    assert not Block.objects.exists()  # a GET changes nothing
    answer = client.post(block_page(peers.circle, peers.blocked), {"next": members})
    assert answer.status_code == 302 and answer.url == members
    assert Block.objects.filter(blocker=peers.blocker, blocked=peers.blocked).count() == 1
    after = client.get(members).content.decode()
    assert f"You blocked {peers.blocked.display_name}. They will not be told." in after
    assert "You blocked this member." in after
    assert block_page(peers.circle, peers.blocked) not in after
    # Blocking again is fine: still one block.
    client.post(block_page(peers.circle, peers.blocked))
    assert Block.objects.count() == 1


def test_after_blocking_an_unsafe_next_goes_to_the_blocked_members_page(client, peers):
    client.force_login(peers.ana)
    answer = client.post(block_page(peers.circle, peers.bo), {"next": "https://evil.example/"})
    assert answer.status_code == 302 and answer.url == reverse("members:blocked")
    confirm = client.get(block_page(peers.circle, peers.cal), {"next": "//evil.example/"})
    members = reverse("circles:members", args=[peers.circle.slug])
    assert f'<input type="hidden" name="next" value="{members}">' in confirm.content.decode()


def test_only_a_fellow_member_of_the_circle_can_be_blocked_from_its_page(client, peers):
    stranger = UserFactory(display_name="Stranger")
    elsewhere, _ = make_circle(members=0)
    make_member(elsewhere, stranger)
    outsider_circle, _ = make_circle(members=1)
    client.force_login(peers.ana)
    assert client.get(block_page(peers.circle, stranger)).status_code == 404
    assert client.post(block_page(peers.circle, stranger)).status_code == 404
    unknown = reverse("circles:member_block", args=[peers.circle.slug, 999_999_999])
    assert client.get(unknown).status_code == 404
    assert client.post(unknown).status_code == 404
    # Not a member of the circle whose page it is: 404 too.
    assert client.get(block_page(outsider_circle, peers.bo)).status_code == 404
    assert client.post(block_page(outsider_circle, peers.bo)).status_code == 404
    assert not Block.objects.exists()


def test_signed_out_visitors_are_sent_to_log_in(client, peers):
    for answer in (
        client.get(block_page(peers.circle, peers.bo)),
        client.post(block_page(peers.circle, peers.bo)),
    ):
        assert answer.status_code == 302
        assert answer.url.startswith(reverse("account_request_login_code"))
    assert not Block.objects.exists()


def test_blocking_yourself_through_the_page_gets_a_clear_message(client, peers):
    client.force_login(peers.ana)
    confirm = client.get(block_page(peers.circle, peers.ana))
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "You can&#x27;t block yourself." in text
    assert '<button type="submit" class="danger">' not in text
    answer = client.post(block_page(peers.circle, peers.ana), follow=True)
    assert answer.status_code == 200
    assert "You can&#x27;t block yourself." in answer.content.decode()
    assert not Block.objects.exists()


# --- The blocked members page --------------------------------------------------------------


def test_the_account_links_to_blocked_members(client, user):
    text = page(client, user, reverse("members:account")).content.decode()
    assert reverse("members:blocked") in text


def test_the_blocked_members_page_explains_blocking_when_empty(client, user):
    answer = page(client, user, reverse("members:blocked"))
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "You have not blocked anyone." in text
    assert "not told" in text


def test_the_blocked_members_page_lists_who_i_blocked_with_unblock(client, peers):
    block_create(blocker=peers.ana, blocked=peers.bo)
    block_create(blocker=peers.cal, blocked=peers.ana)  # never shown to Ana
    text = page(client, peers.ana, reverse("members:blocked")).content.decode()
    assert "<h2>Bo</h2>" in text
    assert "Cal" not in text
    assert reverse("members:unblock", args=[peers.bo.pk]) in text
    assert timezone.localdate().strftime("%Y") in text
    client.force_login(peers.ana)
    answer = client.post(reverse("members:unblock", args=[peers.bo.pk]), follow=True)
    assert "You unblocked Bo." in answer.content.decode()
    assert not Block.objects.filter(blocker=peers.ana).exists()
    assert Block.objects.filter(blocker=peers.cal).exists()


@pytest.mark.parametrize("target", ["not_blocked", "unknown", "blocked_me"])
def test_unblocking_someone_not_blocked_changes_nothing(client, peers, target):
    block_create(blocker=peers.cal, blocked=peers.ana)
    pk = {"not_blocked": peers.bo.pk, "unknown": 999_999_999, "blocked_me": peers.cal.pk}[target]
    client.force_login(peers.ana)
    answer = client.post(reverse("members:unblock", args=[pk]), follow=True)
    assert answer.status_code == 200
    assert "That member is not blocked." in answer.content.decode()
    assert Block.objects.filter(blocker=peers.cal, blocked=peers.ana).exists()


def test_the_blocked_members_pages_need_a_login_and_unblock_needs_a_post(client, peers):
    assert client.get(reverse("members:blocked")).status_code == 302
    block_create(blocker=peers.ana, blocked=peers.bo)
    assert client.post(reverse("members:unblock", args=[peers.bo.pk])).status_code == 302
    client.force_login(peers.ana)
    assert client.get(reverse("members:unblock", args=[peers.bo.pk])).status_code == 405
    assert Block.objects.exists()


# --- Member data ---------------------------------------------------------------------------


def test_my_export_lists_the_members_i_blocked_and_not_who_blocked_me(peers):
    block_create(blocker=peers.ana, blocked=peers.bo)
    block_create(blocker=peers.cal, blocked=peers.ana)
    exported = member_data_export(user=peers.ana)["blocked_members"]
    assert [b["display_name"] for b in exported] == ["Bo"]
    assert exported[0]["blocked"]
    assert member_data_export(user=peers.bo)["blocked_members"] == []


def test_deleting_an_account_removes_its_blocks_both_ways(peers):
    block_create(blocker=peers.ana, blocked=peers.bo)
    block_create(blocker=peers.cal, blocked=peers.ana)
    block_create(blocker=peers.bo, blocked=peers.cal)
    account_delete(user=peers.ana)
    assert list(Block.objects.values_list("blocker", "blocked")) == [(peers.bo.pk, peers.cal.pk)]


# --- Votes ---------------------------------------------------------------------------------


def test_a_block_changes_nothing_in_votes(client, peers):
    peers.block()
    proposal = propose(peers.circle, peers.ana, title="Plant garlic together")
    electorate = set(Voter.objects.filter(proposal=proposal).values_list("user_id", flat=True))
    assert electorate == {peers.ana.pk, peers.bo.pk, peers.cal.pk}
    ballot_cast(proposal=proposal, voter=peers.bo, choice="yes")
    assert proposal.ballot_set.get().voter == peers.bo
    proposal_page = reverse("governance:proposal", args=[peers.circle.slug, proposal.pk])
    assert "Plant garlic together" in page(client, peers.bo, proposal_page).content.decode()
