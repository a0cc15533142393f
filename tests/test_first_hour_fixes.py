"""Issue 13, the fixes a newcomer met in their first hour: each as a person sees it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_noop

from circles.services import invite_create, membership_end, response_create
from peernet.markdown import clip_words, markdown_plain_text
from peernet.members.choices import time_zone_choices
from peernet.notify.models import Kind
from peernet.notify.services import notify
from tests.factories import CircleFactory, UserFactory, make_circle, make_member, make_post
from tests.helpers import assert_query_budget

pytestmark = pytest.mark.django_db

DIRECTORY_BUDGET = 12


def visible_text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


# --- Member counts ------------------------------------------------------------------------


def test_my_circles_counts_every_current_member_not_only_me(client):
    circle, (me, _other, leaving) = make_circle(members=3, name="Night Owls")
    make_member(CircleFactory(name="Solo"), me)
    membership_end(circle=circle, user=leaving)
    client.force_login(me)
    page = client.get(reverse("circles:directory")).content.decode()
    mine = page[page.index('id="mine-heading"') : page.index('id="directory-heading"')]
    assert re.search(r"Night Owls</a>\s*<span class=\"muted\">· 2 members", mine)
    assert re.search(r"Solo</a>\s*<span class=\"muted\">· 1 member<", mine)


def test_the_directory_keeps_its_query_budget_with_my_circles(client):
    me = UserFactory()

    def grow(count: int) -> None:
        for _n in range(count):
            circle, _people = make_circle(members=2, purpose="* Share *rides*")
            make_member(circle, me)

    grow(2)
    client.force_login(me)
    assert_query_budget(
        lambda: client.get(reverse("circles:directory")),
        budget=DIRECTORY_BUDGET,
        grow_data=lambda: grow(8),
        label="directory",
    )


# --- The directory: plain text, tags as a list --------------------------------------------


def test_directory_shows_the_purpose_as_plain_text_clipped_on_a_word(client):
    long_tail = " ".join(["neighbours"] * 40)
    CircleFactory(
        name="Eastside",
        purpose=f"* Share rides to the clinic\n* Soup for the *3am* shift\n\n{long_tail}",
        topics="night shift, rides, meals",
    )
    page = client.get(reverse("circles:directory")).content.decode()
    text = visible_text(client.get(reverse("circles:directory")))
    assert "Share rides to the clinic Soup for the 3am shift neighbours" in text
    assert "* Share" not in text and "*3am*" not in text
    summary = re.search(r"<p>(Share rides[^<]*)</p>", page).group(1)
    assert summary.endswith("neighbours…") and len(summary) <= 200
    assert (
        '<ul class="tag-list" aria-label="Topics"><li class="tag">night shift</li>'
        '<li class="tag">rides</li><li class="tag">meals</li></ul>'
    ) in page


def test_plain_text_drops_markup_and_clips_on_a_word_boundary():
    assert markdown_plain_text("# Hi\n\n**Bold**er & <script>x()</script>[a](http://b)") == (
        "Hi Bolder & a"
    )
    assert clip_words("one two three four", 12) == "one two…"
    assert clip_words("short", 12) == "short"


def test_the_circle_home_lists_its_topics(client):
    circle = CircleFactory(topics="food, rides")
    page = client.get(reverse("circles:home", args=[circle.slug])).content.decode()
    assert '<li class="tag">food</li><li class="tag">rides</li>' in page


# --- Invites ------------------------------------------------------------------------------


def test_an_invite_link_has_a_copy_button_for_scripts_and_stays_selectable(client):
    circle, (me,) = make_circle(members=1)
    invite = invite_create(circle=circle, member=me)
    client.force_login(me)
    page = client.get(reverse("circles:invites", args=[circle.slug])).content.decode()
    field = f'id="invite-{invite.pk}" type="text" readonly value="http://testserver/invite/'
    assert field in page
    assert f'<label for="invite-{invite.pk}">Invite link</label>' in page
    assert (
        f'<button type="button" class="secondary" data-copy="#invite-{invite.pk}" hidden>'
        "Copy link</button>"
    ) in page


def test_the_invite_page_says_who_invited_and_what_the_circle_is(client):
    circle, (inviter, _other) = make_circle(
        members=2, visibility="private", purpose="We **cook** together."
    )
    inviter.display_name = "Rosa"
    inviter.save()
    invite = invite_create(circle=circle, member=inviter)
    text = visible_text(client.get(reverse("circles:invite", args=[invite.token])))
    assert "Rosa invited you to join this circle." in text
    assert "2 members" in text
    page = client.get(reverse("circles:invite", args=[invite.token])).content.decode()
    assert "We <strong>cook</strong> together." in page


# --- Time zones ---------------------------------------------------------------------------


def test_the_time_zone_picker_is_grouped_with_common_zones_first(client, user):
    client.force_login(user)
    page = client.get(reverse("members:notification_settings")).content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups == [
        "Common", "Africa", "America", "Asia", "Atlantic", "Australia", "Europe",
        "Indian Ocean", "Pacific",
    ]  # fmt: skip
    common = page[page.index('label="Common"') : page.index('label="Africa"')]
    assert '<option value="UTC" selected>UTC</option>' in common
    assert '<option value="America/New_York">America / New York</option>' in common
    assert '<option value="America/New_York">New York</option>' in page
    assert "Argentina / Buenos Aires" in page
    for hidden in ("Factory", "localtime", "posixrules", "Etc/GMT+3", "US/Eastern", "GB"):
        assert f'value="{hidden}"' not in page
    assert 'value="EST5EDT"' not in page and 'value="America/Buenos_Aires"' not in page


def test_a_legacy_zone_stays_selected_and_only_real_zones_are_accepted(client, user):
    user.time_zone = "US/Eastern"
    user.save()
    client.force_login(user)
    url = reverse("members:notification_settings")
    page = client.get(url).content.decode()
    assert '<optgroup label="Your current time zone">' in page
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in page
    choices = dict(time_zone_choices())
    assert "Your current time zone" not in choices
    refused = client.post(url, {"time_zone": "Factory"})
    assert "Select a valid choice." in refused.content.decode()
    user.refresh_from_db()
    assert user.time_zone == "US/Eastern"


# --- Copy ---------------------------------------------------------------------------------


def test_the_post_form_asks_what_you_are_posting(client):
    circle, (me,) = make_circle(members=1)
    client.force_login(me)
    text = visible_text(client.get(reverse("circles:post_create", args=[circle.slug])))
    assert "What are you posting? An offer A need" in text
    assert "I have an" not in text


def test_something_posted_seconds_ago_reads_just_now(client):
    circle, (me, other) = make_circle(members=2)
    now = timezone.now()
    with time_machine.travel(now - timedelta(seconds=20), tick=False):
        make_post(circle, other, title="Soup")
    with time_machine.travel(now - timedelta(hours=3, seconds=5), tick=False):
        make_post(circle, other, title="Coats")
    client.force_login(me)
    with time_machine.travel(now, tick=False):
        text = visible_text(client.get(reverse("circles:board", args=[circle.slug])))
    assert "0 minutes" not in text
    assert re.search(r"Soup .*· just now", text)
    assert re.search(r"Coats .*· 3 hours ago", text)


# --- Conversations ------------------------------------------------------------------------


def test_a_conversation_tells_my_messages_from_theirs_without_colour(client):
    circle, (author, helper) = make_circle(members=2)
    helper.display_name = "Bo"
    helper.save()
    post = make_post(circle, author)
    response = response_create(post=post, responder=helper, text="I can drive you.")
    client.force_login(author)
    url = reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    client.post(url, {"text": "Thank you!"})
    page = client.get(url).content.decode()
    items = re.findall(
        r'<li class="chat-message (mine|theirs)">\s*<p class="muted"><strong>(\w+)', page
    )
    assert '<ol class="chat"' in page
    assert items == [("theirs", "Bo"), ("mine", "You")]


def test_an_anonymous_author_reads_as_a_member_in_one_sentence(client):
    circle, (author, helper) = make_circle(members=2)
    post = make_post(circle, author, anonymous=True)
    response = response_create(post=post, responder=helper, text="Here.")
    client.force_login(helper)
    url = reverse("circles:conversation", args=[circle.slug, post.pk, response.pk])
    assert "A private conversation between you and a member." in visible_text(client.get(url))


# --- Notifications in the reader's current language ---------------------------------------


def test_notifications_follow_the_readers_language_when_it_changes(client, user):
    circle = CircleFactory(name="Huerta")
    make_member(circle, user)
    notify(
        recipients=[user],
        kind=Kind.ROTA_DRAWN,
        message=gettext_noop(
            "You were drawn by lot for the care rota of %(circle)s, until %(until)s. "
            "If you can't take this turn, decline it and someone else is drawn."
        ),
        params={"circle": circle.name, "until": "2026-12-28"},
        circle=circle,
    )
    notify(
        recipients=[user],
        kind=Kind.JOIN_REQUEST,
        message=gettext_noop("%(name)s asked to join %(circle)s."),
        params={"circle": circle.name},
        actor=UserFactory(display_name="Eli"),
        circle=circle,
    )
    client.force_login(user)
    url = reverse("notify:list")
    english = visible_text(client.get(url))
    assert "until Dec. 28, 2026." in english
    assert "Eli asked to join Huerta." in english
    user.language = "es"
    user.save()
    spanish = visible_text(client.get(url))
    assert (
        "Saliste sorteado/a para el turno de cuidado de Huerta, hasta el 28 de diciembre de 2026."
        in spanish
    )
    assert "Eli pidió unirse a Huerta." in spanish
    assert "2026-12-28" not in spanish


def test_a_vote_in_its_last_seconds_closes_in_less_than_a_minute_not_zero_minutes():
    from peernet.templatetags.peernet_tags import time_left

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        assert time_left(now + timedelta(seconds=30)) == "less than a minute"
        assert time_left(now + timedelta(days=6, hours=23, minutes=1)) == "6\xa0days, 23\xa0hours"
        assert time_left(None) == ""
