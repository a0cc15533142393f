"""Story pages through the client: who may see and do what, what each sees, and what bad
input gets."""

import pytest
from django.urls import reverse

from governance.legitimacy.models import Byline, Consent, Story, StoryMention
from governance.legitimacy.services.stories import (
    stories_mark_published,
    story_consent_answer,
    story_create,
    story_withdraw,
)
from peernet.submissions import submission_key_issue
from tests.factories import UserFactory, make_circle, make_member
from tests.helpers import assert_query_budget
from tests.legitimacy.test_stories import Scene

pytestmark = pytest.mark.django_db

VISITORS = ["anonymous", "outsider", "staff", "bystander", "named", "author"]


class World:
    """One circle of each visibility: Ana wrote a story naming Ben; Dee is a bystander."""

    def __init__(self, visibility: str):
        self.circle, _ = make_circle(members=0, visibility=visibility)
        self.author = make_member(self.circle, UserFactory(display_name="Ana Lopez"))
        self.named = make_member(self.circle, UserFactory(display_name="Ben"))
        self.bystander = make_member(self.circle, UserFactory(display_name="Dee"))
        self.visitors = {
            "anonymous": None,
            "outsider": UserFactory(display_name="Olu"),
            "staff": UserFactory(is_staff=True, is_superuser=True, display_name="Operator"),
            "bystander": self.bystander,
            "named": self.named,
            "author": self.author,
        }

    def story(self, **kw):
        return story_create(
            circle=self.circle,
            author=self.author,
            title=kw.get("title", "A lift"),
            text=kw.get("text", "Ben drove me to the clinic."),
            byline=kw.get("byline", Byline.MEMBER),
            named=kw.get("named", [self.named]),
        )


def url(name, circle, story=None):
    if story is None:
        return reverse(f"legitimacy:{name}", args=[circle.slug])
    return reverse(f"legitimacy:{name}", args=[circle.slug, story.pk])


def members_only(**members):
    statuses = {"anonymous": 302, "outsider": 403, "staff": 403}
    return statuses | {v: members.get(v, 200) for v in ["bystander", "named", "author"]}


SENT_BACK = {"bystander": 302, "named": 302, "author": 302}

MATRIX = [
    ("stories", "get", {}, members_only()),
    ("story_new", "get", {}, members_only()),
    ("story", "get", {}, members_only()),
    # A refusal is a message on the story's page: every member is sent back to it.
    ("story_withdraw", "post", {}, members_only(**SENT_BACK)),
    (
        "story_consent",
        "post",
        {"answer": "give"},
        members_only(**SENT_BACK),
    ),
]


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_permission_matrix(client, visibility):
    world = World(visibility)
    failures, checked = [], 0
    for name, method, data, statuses in MATRIX:
        for visitor in VISITORS:
            story = world.story() if name in {"story", "story_withdraw", "story_consent"} else None
            expected = statuses[visitor]
            if visibility == "private" and visitor in {"anonymous", "outsider", "staff"}:
                expected = 404
            client.logout()
            if world.visitors[visitor]:
                client.force_login(world.visitors[visitor])
            response = getattr(client, method)(url(name, world.circle, story), data)
            checked += 1
            if response.status_code != expected:
                failures.append(f"{name} {visitor}: {response.status_code} != {expected}")
            if visitor == "anonymous" and expected == 302:
                assert "/login/" in response["Location"]
    assert checked == len(MATRIX) * len(VISITORS)
    assert failures == []


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_only_the_author_withdraws_and_only_the_named_member_answers(client, visibility):
    world = World(visibility)
    for visitor in VISITORS:
        story = world.story()
        client.logout()
        if world.visitors[visitor]:
            client.force_login(world.visitors[visitor])
        client.post(url("story_withdraw", world.circle, story))
        client.post(url("story_consent", world.circle, story), {"answer": "give"})
        story.refresh_from_db()
        assert (story.withdrawn_at is not None) == (visitor == "author"), visitor
        consent = StoryMention.objects.get(story=story).consent
        assert (consent == Consent.GIVEN) == (visitor == "named"), visitor


@pytest.mark.parametrize("name", ["story_withdraw", "story_consent"])
def test_actions_are_post_only(client, name):
    world = World("public")
    story = world.story()
    client.force_login(world.author)
    assert client.get(url(name, world.circle, story)).status_code == 405
    story.refresh_from_db()
    assert story.withdrawn_at is None


def test_a_withdrawn_story_is_a_404_to_everyone_but_its_author(client):
    world = World("public")
    story = world.story()
    story_withdraw(story=story, member=world.author)
    for visitor in ["bystander", "named"]:
        client.force_login(world.visitors[visitor])
        assert client.get(url("story", world.circle, story)).status_code == 404
        response = client.post(url("story_consent", world.circle, story), {"answer": "give"})
        assert response.status_code == 404
    client.force_login(world.author)
    response = client.get(url("story", world.circle, story))
    assert response.status_code == 200
    assert "Withdrawn" in response.content.decode()


def test_a_story_of_another_circle_is_a_404(client):
    world, elsewhere = World("public"), World("public")
    story = elsewhere.story()
    client.force_login(world.author)
    assert client.get(url("story", world.circle, story)).status_code == 404


class TestWhatMembersSee:
    def test_the_list_shows_each_story_with_its_status_in_words(self, client):
        scene = Scene()
        waiting = scene.story(title="Waiting one", named=[scene.ben], text="Ben came.")
        scene.story(title="Ready one")
        withdrawn = scene.story(title="Withdrawn one")
        story_withdraw(story=withdrawn, member=scene.ana)
        published = scene.story(title="Published one")
        scene.published(published)
        refused = scene.story(title="Refused one", named=[scene.chidi], text="Chidi came.")
        story_consent_answer(story=refused, member=scene.chidi, give=False)
        client.force_login(scene.ana)
        page = client.get(url("stories", scene.circle)).content.decode()
        assert "Write a story" in page
        assert "Waiting for consent from 1 person" in page
        assert "Ready for a report" in page
        assert "Withdrawn" in page
        assert "In a published report" in page
        assert "Declined by 1 person it names" in page
        assert "you (others see “a member”)" in page
        client.force_login(scene.dee)
        page = client.get(url("stories", scene.circle)).content.decode()
        assert "Withdrawn one" not in page
        assert "Ana Lopez" not in page
        assert "Stories that name you" not in page
        assert waiting.title in page

    def test_the_named_member_answers_from_the_list(self, client):
        scene = Scene()
        story = scene.story(named=[scene.ben], text="Ben came.")
        client.force_login(scene.ben)
        page = client.get(url("stories", scene.circle)).content.decode()
        assert "Stories that name you" in page
        assert "Yes, it can name me" in page
        response = client.post(
            url("story_consent", scene.circle, story), {"answer": "refuse", "back": "list"}
        )
        assert response["Location"] == url("stories", scene.circle)
        assert StoryMention.objects.get(story=story).consent == Consent.REFUSED
        page = client.get(response["Location"]).content.decode()
        assert "stays out of reports unless you change your mind" in page
        assert "Stories that name you" not in page

    def test_the_story_page_shows_who_it_names_and_their_answers(self, client):
        scene = Scene()
        story = scene.story(named=[scene.ben, scene.chidi], text="Ben and Chidi.\n\nThanks.")
        story_consent_answer(story=story, member=scene.ben, give=True)
        client.force_login(scene.dee)
        page = client.get(url("story", scene.circle, story)).content.decode()
        assert "Ben: consented" in page
        assert "Chidi: asked, no answer yet" in page
        assert "<p>Ben and Chidi.</p>" in page
        assert "by a member" in page and "Ana Lopez" not in page
        assert "Withdraw this story" not in page
        assert "Yes, it can name me" not in page

    def test_the_author_sees_the_withdraw_button_until_published(self, client):
        scene = Scene()
        story = scene.story(byline=Byline.NAME)
        client.force_login(scene.ana)
        assert (
            "Withdraw this story" in client.get(url("story", scene.circle, story)).content.decode()
        )
        scene.published(story)
        page = client.get(url("story", scene.circle, story)).content.decode()
        assert "Withdraw this story" not in page
        assert "can no longer be withdrawn" in page
        response = client.post(url("story_withdraw", scene.circle, story), follow=True)
        assert "can no longer be withdrawn" in response.content.decode()
        story.refresh_from_db()
        assert story.withdrawn_at is None

    def test_the_named_member_can_change_their_mind_on_the_page(self, client):
        scene = Scene()
        story = scene.story(named=[scene.ben], text="Ben came.")
        client.force_login(scene.ben)
        page = client.get(url("story", scene.circle, story)).content.decode()
        assert "This story names you" in page
        response = client.post(url("story_consent", scene.circle, story), {"answer": "give"})
        assert response["Location"] == url("story", scene.circle, story)
        page = client.get(response["Location"]).content.decode()
        assert "The story can name you" in page
        assert "Your answer now: consented" in page
        client.post(url("story_consent", scene.circle, story), {"answer": "refuse"})
        assert StoryMention.objects.get(story=story).consent == Consent.REFUSED

    def test_a_forged_answer_changes_nothing(self, client):
        scene = Scene()
        story = scene.story(named=[scene.ben], text="Ben came.")
        client.force_login(scene.ben)
        response = client.post(
            url("story_consent", scene.circle, story), {"answer": "maybe"}, follow=True
        )
        assert "Choose yes or no." in response.content.decode()
        assert StoryMention.objects.get(story=story).consent == Consent.ASKED


class TestWriting:
    def post(self, client, circle, **fields):
        data = {"title": "A lift", "text": "It helped.", "byline": "member", **fields}
        return client.post(url("story_new", circle), data)

    def test_writing_a_story_naming_a_member(self, client):
        scene = Scene()
        client.force_login(scene.ana)
        form = client.get(url("story_new", scene.circle)).content.decode()
        assert "Each person you name is asked first" in form
        assert 'value="member"' in form and "Ana Lopez" not in form.split("<main")[-1]
        response = self.post(client, scene.circle, text="Ben came.", named=[scene.ben.pk])
        story = Story.objects.get()
        assert response["Location"] == url("story", scene.circle, story)
        assert [m.member for m in story.mentions.all()] == [scene.ben]
        page = client.get(response["Location"]).content.decode()
        assert "The people it names are asked first" in page

    def test_bad_input_keeps_what_was_typed(self, client):
        scene = Scene()
        client.force_login(scene.ana)
        response = self.post(client, scene.circle, title="", text="Kept words.")
        assert response.status_code == 400
        assert "Kept words." in response.content.decode()
        long_text = "word " * 10_000
        response = self.post(client, scene.circle, title="Kept title", text=long_text)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Ensure this value has at most 3000 characters" in page
        assert "Kept title" in page and long_text.strip() in page
        assert not Story.objects.exists()

    def test_naming_someone_who_is_not_a_member_is_refused(self, client):
        scene = Scene()
        client.force_login(scene.ana)
        response = self.post(client, scene.circle, text="Kept.", named=[scene.other.pk])
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
        response = self.post(client, scene.circle, text="Kept.", named=[scene.ana.pk])
        assert response.status_code == 400
        response = self.post(client, scene.circle, text="Kept.", named=["not-a-number"])
        assert response.status_code == 400
        assert not Story.objects.exists()

    def test_the_name_guard_keeps_the_text(self, client):
        scene = Scene()
        client.force_login(scene.ana)
        response = self.post(client, scene.circle, text="Chidi brought soup.")
        assert response.status_code == 400
        page = response.content.decode()
        assert "Your story mentions Chidi." in page
        assert "Chidi brought soup." in page
        assert not Story.objects.exists()

    def test_sending_the_form_twice_makes_one_story(self, client):
        scene = Scene()
        client.force_login(scene.ana)
        client.get(url("story_new", scene.circle))
        request = type("R", (), {"user": scene.ana, "session": client.session})()
        key = submission_key_issue(request)
        first = self.post(client, scene.circle, submission=key)
        second = self.post(client, scene.circle, submission=key)
        assert Story.objects.count() == 1
        assert first["Location"] == second["Location"]


def test_the_list_costs_the_same_with_2_or_30_stories(client):
    circle, people = make_circle(members=4)
    author, named, viewer, other = people

    def write(n):
        for i in range(n):
            story = story_create(
                circle=circle,
                author=[author, other][i % 2],
                title=f"Story {i}",
                text="It helped.",
                byline=[Byline.NAME, Byline.MEMBER][i % 2],
                named=[named, viewer] if i % 3 else [],
            )
            if i % 4 == 0 and i % 3:
                story_consent_answer(story=story, member=viewer, give=True)

    write(2)
    client.force_login(viewer)
    assert_query_budget(
        lambda: client.get(url("stories", circle)),
        budget=10,
        grow_data=lambda: write(28),
        label="stories",
    )


def test_the_story_page_costs_the_same_with_1_or_12_names(client):
    circle, people = make_circle(members=14)
    author, viewer, *others = people
    few = story_create(
        circle=circle, author=author, title="Few", text="x", byline="name", named=others[:1]
    )
    many = story_create(
        circle=circle, author=author, title="Many", text="x", byline="name", named=others
    )
    client.force_login(viewer)
    stories = iter([few, many])
    current = {"story": next(stories)}
    assert_query_budget(
        lambda: client.get(url("story", circle, current["story"])),
        budget=8,
        grow_data=lambda: current.update(story=next(stories)),
        label="story",
    )


def test_published_story_links_its_report(client):
    scene = Scene()
    story = scene.story()
    report = scene.report()
    stories_mark_published(story_ids=[story.pk], report=report)
    client.force_login(scene.dee)
    page = client.get(url("story", scene.circle, story)).content.decode()
    assert report.get_absolute_url() in page
