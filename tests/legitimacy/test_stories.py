"""Stories of help: consent, the name guard, withdrawal, what a report may carry, and what
happens to stories when an account is deleted."""

import itertools

import pytest
from django.db import transaction
from django.http import Http404

from circles.services import membership_end
from governance.legitimacy.models import Byline, Consent, PublishedReport, Story, StoryMention
from governance.legitimacy.selectors.stories import (
    Status,
    mentions_waiting_for,
    stories_of,
    stories_usable,
    story_for_report,
    story_in_circle,
    story_shown,
    story_usable,
)
from governance.legitimacy.services.stories import (
    member_stories_export,
    member_stories_release,
    stories_lock_usable,
    stories_mark_published,
    story_consent_answer,
    story_create,
    story_withdraw,
)
from governance.models import ProposalKind
from peernet.errors import DomainError
from peernet.members.data_rights import account_delete
from peernet.members.services import block_create
from peernet.notify.models import Kind, Notification
from tests.factories import UserFactory, make_circle, make_member
from tests.governance.conftest import propose
from tests.helpers import run_at_once

pytestmark = pytest.mark.django_db

_report_ids = itertools.count(1)


class Scene:
    """A circle where Ana writes, Ben and Chidi may be named, and Dee looks on. Jo's name is
    too short to look for. Other is a member of another circle."""

    def __init__(self):
        self.circle, _ = make_circle(members=0, name="Riverside")
        self.ana = make_member(self.circle, UserFactory(display_name="Ana Lopez"))
        self.ben = make_member(self.circle, UserFactory(display_name="Ben"))
        self.chidi = make_member(self.circle, UserFactory(display_name="Chidi"))
        self.dee = make_member(self.circle, UserFactory(display_name="Dee"))
        self.jo = make_member(self.circle, UserFactory(display_name="Jo"))
        self.other_circle, (self.other,) = make_circle(members=1)

    def story(
        self, *, author=None, named=(), byline=Byline.MEMBER, text="Someone helped me.", **kw
    ):
        return story_create(
            circle=kw.pop("circle", self.circle),
            author=author or self.ana,
            title=kw.pop("title", "A lift to the clinic"),
            text=text,
            byline=byline,
            named=list(named),
        )

    def report(self, circle=None):
        circle = circle or self.circle
        n = next(_report_ids)
        return PublishedReport.objects.create(
            circle=circle,
            decision=propose(circle, self.ana, kind=ProposalKind.RESOLUTION, title=f"R{n}"),
            public_id=f"report{n}",
            known_as="Our year",
            period_start="2025-01-01",
            period_end="2025-12-31",
            document="{}",
            sha256="0" * 64,
        )

    def published(self, story):
        report = self.report()
        stories_mark_published(story_ids=[story.pk], report=report)
        story.refresh_from_db()
        return report


@pytest.fixture
def scene(db):
    return Scene()


def mention(story, member):
    return StoryMention.objects.get(story=story, member=member)


def usable_ids(circle):
    return set(stories_usable(circle=circle).values_list("pk", flat=True))


class TestCreate:
    def test_a_story_naming_no_one_is_ready_for_a_report(self, scene):
        story = scene.story()
        assert story.author == scene.ana
        assert story.byline == Byline.MEMBER
        assert not story.mentions.exists()
        assert story_usable(story)

    def test_text_and_title_are_trimmed(self, scene):
        story = scene.story(title="  A lift  ", text="\n It helped. \n")
        assert (story.title, story.text) == ("A lift", "It helped.")

    def test_each_named_member_is_asked_and_told(self, scene):
        story = scene.story(named=[scene.ben, scene.chidi], text="Ben and Chidi cooked.")
        assert {(m.member, m.consent) for m in story.mentions.all()} == {
            (scene.ben, Consent.ASKED),
            (scene.chidi, Consent.ASKED),
        }
        notices = Notification.objects.filter(kind=Kind.STORY_CONSENT)
        assert {n.recipient for n in notices} == {scene.ben, scene.chidi}
        assert all(n.url == story.get_absolute_url() for n in notices)
        assert all(n.circle == scene.circle for n in notices)
        assert not Notification.objects.filter(recipient__in=[scene.ana, scene.dee]).exists()

    def test_the_notice_hides_an_author_who_appears_as_a_member(self, scene):
        scene.story(named=[scene.ben], text="Ben came.", byline=Byline.MEMBER)
        notice = Notification.objects.get(recipient=scene.ben)
        assert notice.actor is None
        assert "Ana" not in notice.text
        assert notice.text.startswith("A member wrote a story of help that names you")

    def test_the_notice_names_an_author_who_appears_by_name(self, scene):
        scene.story(named=[scene.ben], text="Ben came.", byline=Byline.NAME)
        notice = Notification.objects.get(recipient=scene.ben)
        assert notice.text.startswith("Ana Lopez wrote a story of help that names you")

    def test_a_member_in_a_block_with_the_author_is_asked_but_not_told(self, scene):
        block_create(blocker=scene.ben, blocked=scene.ana)
        story = scene.story(named=[scene.ben], text="Ben came.")
        assert mention(story, scene.ben).consent == Consent.ASKED
        assert not Notification.objects.filter(recipient=scene.ben).exists()

    def test_only_members_write_stories(self, scene):
        with pytest.raises(DomainError, match="Only members"):
            scene.story(author=scene.other)
        membership_end(circle=scene.circle, user=scene.dee)
        with pytest.raises(DomainError, match="Only members"):
            scene.story(author=scene.dee)
        assert not Story.objects.exists()

    def test_only_current_members_can_be_named(self, scene):
        with pytest.raises(DomainError, match="only name members"):
            scene.story(named=[scene.other])
        membership_end(circle=scene.circle, user=scene.dee)
        with pytest.raises(DomainError, match="only name members"):
            scene.story(named=[scene.dee])
        assert not Story.objects.exists()

    def test_the_author_does_not_name_themself(self, scene):
        with pytest.raises(DomainError, match="name yourself"):
            scene.story(named=[scene.ana])

    def test_an_unknown_byline_is_refused(self, scene):
        with pytest.raises(DomainError, match="Choose how you appear"):
            scene.story(byline="real_name")

    def test_an_empty_title_or_a_too_long_text_is_refused(self, scene):
        with pytest.raises(DomainError):
            scene.story(title="   ")
        with pytest.raises(DomainError):
            scene.story(text="x" * 3001)
        assert not Story.objects.exists()

    def test_naming_the_same_member_twice_asks_once(self, scene):
        story = scene.story(named=[scene.ben, scene.ben], text="Ben came.")
        assert story.mentions.count() == 1


class TestNameGuard:
    def test_a_member_in_the_text_who_is_not_asked_is_refused(self, scene):
        with pytest.raises(DomainError) as error:
            scene.story(text="Ben drove me to the clinic.")
        assert error.value.message == (
            "Your story mentions Ben. Add them to the people it names, so they can consent, "
            "or leave their name out."
        )
        assert not Story.objects.exists()
        assert not Notification.objects.exists()

    @pytest.mark.parametrize(
        "text",
        ["ben drove me.", "BEN drove me.", "Thanks, Ben!", "(Ben) drove me.", "Ben's car."],
    )
    def test_any_case_and_punctuation_around_the_name(self, scene, text):
        with pytest.raises(DomainError, match="mentions Ben"):
            scene.story(text=text)

    @pytest.mark.parametrize("text", ["A great benefit.", "Bento boxes.", "Deed of kindness."])
    def test_a_name_inside_another_word_is_not_a_mention(self, scene, text):
        assert scene.story(text=text).pk

    def test_the_title_is_looked_at_too(self, scene):
        with pytest.raises(DomainError, match="mentions Chidi"):
            scene.story(title="Chidi's soup", text="It was good.")

    def test_every_unasked_name_is_listed_in_order(self, scene):
        with pytest.raises(DomainError, match="mentions Dee, Ben"):
            scene.story(text="Dee and Ben and Dee again.")

    def test_a_named_member_may_appear_in_the_text(self, scene):
        story = scene.story(named=[scene.ben], text="Ben drove me.")
        assert story.pk

    def test_naming_one_member_does_not_cover_another(self, scene):
        with pytest.raises(DomainError, match="mentions Chidi"):
            scene.story(named=[scene.ben], text="Ben and Chidi drove me.")

    def test_a_two_letter_name_is_looked_for_as_written(self, scene):
        with pytest.raises(DomainError, match="mentions Jo"):
            scene.story(text="Jo helped me.")
        # In lower case it is a word, not the name (as "al" is in Spanish).
        assert scene.story(text="A jo of a day.").pk

    def test_a_name_of_several_words_matches_however_spaced(self, scene):
        with pytest.raises(DomainError, match="mentions Ana Lopez"):
            scene.story(author=scene.ben, text="ana   lopez\nhelped.")
        assert scene.story(author=scene.ben, text="Ana helped.").pk

    def test_signs_in_a_name_are_taken_literally(self, scene):
        make_member(scene.circle, UserFactory(display_name="R.J. (they)"))
        with pytest.raises(DomainError, match=r"mentions R\.J\. \(they\)"):
            scene.story(text="Thanks to r.j. (they) for the lift.")
        assert scene.story(text="Thanks to RxJx (they) for the lift.").pk

    def test_people_who_are_not_members_can_be_mentioned(self, scene):
        assert scene.story(text=f"My neighbour {scene.other.display_name} came too.").pk

    def test_a_former_member_is_not_looked_for(self, scene):
        membership_end(circle=scene.circle, user=scene.dee)
        assert scene.story(text="Dee came by.").pk

    def test_the_author_as_a_member_may_not_write_their_own_name(self, scene):
        with pytest.raises(DomainError) as error:
            scene.story(byline=Byline.MEMBER, text="I, Ana Lopez, cooked.")
        assert "would show who wrote it" in error.value.message

    def test_the_author_by_name_may_write_their_own_name(self, scene):
        assert scene.story(byline=Byline.NAME, text="I, Ana Lopez, cooked.").pk

    def test_a_longer_asked_name_is_no_mention_of_a_shorter_one(self, scene):
        ben_smith = make_member(scene.circle, UserFactory(display_name="Ben Smith"))
        assert scene.story(named=[ben_smith], text="Ben Smith drove me.").pk
        with pytest.raises(DomainError, match="mentions Ben"):
            scene.story(named=[ben_smith], text="Ben Smith and Ben drove me.")

    def test_the_authors_own_longer_name_is_no_mention_of_a_shorter_one(self, scene):
        make_member(scene.circle, UserFactory(display_name="Ana"))
        assert scene.story(byline=Byline.NAME, text="I, Ana Lopez, cooked.").pk
        with pytest.raises(DomainError, match="mentions your own display name"):
            scene.story(byline=Byline.MEMBER, text="I, Ana Lopez, cooked.")

    def test_an_asked_name_shared_with_someone_not_asked_still_counts(self, scene):
        make_member(scene.circle, UserFactory(display_name="ben"))
        with pytest.raises(DomainError, match="mentions ben"):
            scene.story(named=[scene.ben], text="Ben drove me.")

    def test_as_a_member_an_asked_name_with_the_authors_own_in_it_still_counts(self, scene):
        lopez = make_member(scene.circle, UserFactory(display_name="Ana Lopez Garcia"))
        with pytest.raises(DomainError, match="your own display name"):
            scene.story(named=[lopez], text="Ana Lopez drove me.")

    def test_another_member_with_the_authors_name_still_counts(self, scene):
        make_member(scene.circle, UserFactory(display_name="Ana Lopez"))
        with pytest.raises(DomainError, match="mentions Ana Lopez"):
            scene.story(byline=Byline.NAME, text="Ana Lopez cooked.")


class TestConsent:
    def test_consenting_makes_the_story_usable_and_tells_the_author(self, scene):
        story = scene.story(named=[scene.ben], text="Ben came.", byline=Byline.NAME)
        assert not story_usable(story)
        story_consent_answer(story=story, member=scene.ben, give=True)
        m = mention(story, scene.ben)
        assert m.consent == Consent.GIVEN and m.answered_at is not None
        assert story_usable(story)
        notice = Notification.objects.get(kind=Kind.STORY_ANSWERED)
        assert notice.recipient == scene.ana
        assert notice.text == "Ben agreed to be named in your story “A lift to the clinic”."

    def test_every_named_member_must_consent(self, scene):
        story = scene.story(named=[scene.ben, scene.chidi], text="Ben, Chidi.")
        story_consent_answer(story=story, member=scene.ben, give=True)
        assert not story_usable(story)
        story_consent_answer(story=story, member=scene.chidi, give=True)
        assert story_usable(story)

    def test_refusing_after_consenting_makes_it_unusable_again(self, scene):
        story = scene.story(named=[scene.ben], text="Ben came.")
        story_consent_answer(story=story, member=scene.ben, give=True)
        story_consent_answer(story=story, member=scene.ben, give=False)
        assert mention(story, scene.ben).consent == Consent.REFUSED
        assert not story_usable(story)
        texts = list(
            Notification.objects.filter(kind=Kind.STORY_ANSWERED).values_list("message", flat=True)
        )
        assert len(texts) == 2
        story_consent_answer(story=story, member=scene.ben, give=True)
        assert story_usable(story)

    def test_the_same_answer_twice_tells_the_author_once(self, scene):
        story = scene.story(named=[scene.ben], text="Ben came.")
        story_consent_answer(story=story, member=scene.ben, give=True)
        story_consent_answer(story=story, member=scene.ben, give=True)
        assert Notification.objects.filter(kind=Kind.STORY_ANSWERED).count() == 1

    @pytest.mark.parametrize("who", ["ana", "chidi", "other"])
    def test_only_a_named_member_answers(self, scene, who):
        story = scene.story(named=[scene.ben], text="Ben came.")
        with pytest.raises(DomainError, match="Only the people this story names"):
            story_consent_answer(story=story, member=getattr(scene, who), give=True)
        assert mention(story, scene.ben).consent == Consent.ASKED
        assert story.mentions.count() == 1

    def test_after_publication_an_answer_is_final(self, scene):
        story = scene.story(named=[scene.ben], text="Ben came.")
        story_consent_answer(story=story, member=scene.ben, give=True)
        scene.published(story)
        with pytest.raises(DomainError, match="published report"):
            story_consent_answer(story=story, member=scene.ben, give=False)
        assert mention(story, scene.ben).consent == Consent.GIVEN

    def test_a_withdrawn_story_needs_no_answer(self, scene):
        story = scene.story(named=[scene.ben], text="Ben came.")
        story_withdraw(story=story, member=scene.ana)
        with pytest.raises(DomainError, match="withdrawn"):
            story_consent_answer(story=story, member=scene.ben, give=True)
        assert mention(story, scene.ben).consent == Consent.ASKED

    def test_no_one_is_told_of_an_answer_to_a_story_whose_author_is_gone(self, scene):
        story = scene.story(named=[scene.ben], text="Ben came.")
        Story.objects.filter(pk=story.pk).update(author=None)
        story.refresh_from_db()
        story_consent_answer(story=story, member=scene.ben, give=True)
        assert not Notification.objects.filter(kind=Kind.STORY_ANSWERED).exists()


class TestWithdraw:
    def test_the_author_withdraws_and_the_story_goes_out_of_reports(self, scene):
        story = scene.story()
        story_withdraw(story=story, member=scene.ana)
        story.refresh_from_db()
        assert story.withdrawn_at is not None
        assert not story_usable(story)
        assert usable_ids(scene.circle) == set()

    @pytest.mark.parametrize("who", ["ben", "dee", "other"])
    def test_only_the_author_withdraws(self, scene, who):
        story = scene.story(named=[scene.ben], text="Ben came.")
        with pytest.raises(DomainError, match="Only the person who wrote"):
            story_withdraw(story=story, member=getattr(scene, who))
        story.refresh_from_db()
        assert story.withdrawn_at is None

    def test_after_publication_it_stays(self, scene):
        story = scene.story()
        scene.published(story)
        with pytest.raises(DomainError) as error:
            story_withdraw(story=story, member=scene.ana)
        assert error.value.message == (
            "This story is in a published report, which never changes, so it can no longer "
            "be withdrawn."
        )
        story.refresh_from_db()
        assert story.withdrawn_at is None
        assert story_usable(story)

    def test_withdrawing_twice_keeps_the_first_time(self, scene):
        story = scene.story()
        first = story_withdraw(story=story, member=scene.ana).withdrawn_at
        assert story_withdraw(story=story, member=scene.ana).withdrawn_at == first


class TestUsable:
    def test_asked_refused_and_given(self, scene):
        asked = scene.story(named=[scene.ben], text="Ben.")
        refused = scene.story(named=[scene.ben], text="Ben again.")
        given = scene.story(named=[scene.ben], text="Ben once more.")
        mixed = scene.story(named=[scene.ben, scene.chidi], text="Ben and Chidi.")
        nobody = scene.story(text="Nobody named.")
        story_consent_answer(story=refused, member=scene.ben, give=False)
        story_consent_answer(story=given, member=scene.ben, give=True)
        story_consent_answer(story=mixed, member=scene.ben, give=True)
        story_consent_answer(story=mixed, member=scene.chidi, give=False)
        assert usable_ids(scene.circle) == {given.pk, nobody.pk}
        assert not story_usable(asked)

    def test_withdrawn_and_authorless_stories_are_not_usable(self, scene):
        withdrawn = scene.story()
        story_withdraw(story=withdrawn, member=scene.ana)
        authorless = scene.story(author=scene.ben)
        Story.objects.filter(pk=authorless.pk).update(author=None)
        kept = scene.story(author=scene.chidi)
        assert usable_ids(scene.circle) == {kept.pk}

    def test_only_the_circles_own_stories_oldest_first(self, scene):
        first = scene.story(title="First")
        second = scene.story(title="Second")
        scene.story(circle=scene.other_circle, author=scene.other)
        assert list(stories_usable(circle=scene.circle)) == [first, second]

    def test_a_published_story_stays_usable(self, scene):
        story = scene.story()
        scene.published(story)
        assert story_usable(story)


class TestForReport:
    def test_as_a_member_the_report_gives_no_name(self, scene):
        story = scene.story(byline=Byline.MEMBER, text="It helped.")
        assert story_for_report(story) == {
            "id": story.pk,
            "title": "A lift to the clinic",
            "text": "It helped.",
            "by": None,
        }

    def test_by_name_the_report_gives_the_display_name(self, scene):
        story = scene.story(byline=Byline.NAME)
        assert story_for_report(story)["by"] == "Ana Lopez"

    def test_by_name_with_the_author_gone_it_gives_no_name(self, scene):
        story = scene.story(byline=Byline.NAME)
        Story.objects.filter(pk=story.pk).update(author=None)
        story.refresh_from_db()
        assert story_for_report(story)["by"] is None

    def test_nothing_else_about_people(self, scene):
        story = scene.story(byline=Byline.NAME, named=[scene.ben], text="Ben came.")
        story_consent_answer(story=story, member=scene.ben, give=True)
        assert set(story_for_report(story)) == {"id", "title", "text", "by"}


class TestMarkPublished:
    def test_marks_each_story_with_its_first_report(self, scene):
        one, two = scene.story(title="One"), scene.story(title="Two")
        first = scene.report()
        assert stories_mark_published(story_ids=[one.pk], report=first) == 1
        second = scene.report()
        assert stories_mark_published(story_ids=[one.pk, two.pk], report=second) == 1
        one.refresh_from_db()
        two.refresh_from_db()
        assert (one.published_in, two.published_in) == (first, second)

    def test_refuses_a_story_that_can_no_longer_go_in_and_marks_none(self, scene):
        good = scene.story(title="Good")
        asked = scene.story(title="Asked", named=[scene.ben], text="Ben.")
        report = scene.report()
        with pytest.raises(DomainError, match="can't be published"):
            stories_mark_published(story_ids=[good.pk, asked.pk], report=report)
        assert not Story.objects.filter(published_in__isnull=False).exists()

    def test_refuses_another_circles_story(self, scene):
        theirs = scene.story(circle=scene.other_circle, author=scene.other)
        with pytest.raises(DomainError):
            stories_mark_published(story_ids=[theirs.pk], report=scene.report())

    def test_lock_usable_gives_only_those_still_usable(self, scene):
        good = scene.story(title="Good")
        gone = scene.story(title="Gone")
        story_withdraw(story=gone, member=scene.ana)
        with transaction.atomic():
            assert stories_lock_usable(circle=scene.circle, story_ids=[good.pk, gone.pk]) == [good]


class TestSelectors:
    def test_the_list_puts_withdrawn_last_and_shows_them_only_to_their_author(self, scene):
        old = scene.story(title="Old")
        gone = scene.story(title="Gone")
        new = scene.story(title="New", author=scene.ben)
        story_withdraw(story=gone, member=scene.ana)
        assert list(stories_of(circle=scene.circle, viewer=scene.ana)) == [new, old, gone]
        assert list(stories_of(circle=scene.circle, viewer=scene.dee)) == [new, old]

    def test_a_withdrawn_story_is_a_404_to_all_but_its_author(self, scene):
        story = scene.story(named=[scene.ben], text="Ben.")
        story_withdraw(story=story, member=scene.ana)
        assert story_in_circle(circle=scene.circle, pk=story.pk, viewer=scene.ana) == story
        for viewer in [scene.ben, scene.dee, None]:
            with pytest.raises(Http404):
                story_in_circle(circle=scene.circle, pk=story.pk, viewer=viewer)

    def test_a_story_of_another_circle_is_a_404(self, scene):
        theirs = scene.story(circle=scene.other_circle, author=scene.other)
        with pytest.raises(Http404):
            story_in_circle(circle=scene.circle, pk=theirs.pk, viewer=scene.ana)

    def test_mentions_waiting_are_the_unanswered_ones_still_open(self, scene):
        waiting = scene.story(named=[scene.ben], text="Ben 1.")
        answered = scene.story(named=[scene.ben], text="Ben 2.")
        withdrawn = scene.story(named=[scene.ben], text="Ben 3.")
        published = scene.story(named=[scene.ben], text="Ben 4.")
        story_consent_answer(story=answered, member=scene.ben, give=False)
        story_withdraw(story=withdrawn, member=scene.ana)
        story_consent_answer(story=published, member=scene.ben, give=True)
        scene.published(published)
        # Ben is asked again only in a story that is still open.
        StoryMention.objects.filter(story=published).update(consent=Consent.ASKED)
        found = mentions_waiting_for(user=scene.ben, circle=scene.circle)
        assert [m.story for m in found] == [waiting]
        assert not mentions_waiting_for(user=scene.ben, circle=scene.other_circle).exists()

    @pytest.mark.parametrize(
        ("setup", "status"),
        [
            ("nothing", Status.READY),
            ("named", Status.WAITING),
            ("refused", Status.DECLINED),
            ("withdrawn", Status.WITHDRAWN),
            ("published", Status.PUBLISHED),
        ],
    )
    def test_status_in_words(self, scene, setup, status):
        named = [scene.ben] if setup in {"named", "refused"} else []
        story = scene.story(named=named, text="Ben." if named else "Someone.")
        if setup == "refused":
            story_consent_answer(story=story, member=scene.ben, give=False)
        if setup == "withdrawn":
            story_withdraw(story=story, member=scene.ana)
        if setup == "published":
            scene.published(story)
        shown = story_shown(story_in_circle(circle=scene.circle, pk=story.pk, viewer=scene.ana))
        assert shown.status == status

    def test_the_byline_as_each_viewer_sees_it(self, scene):
        story = scene.story(byline=Byline.MEMBER)
        assert story_shown(story, scene.dee).byline == "a member"
        assert story_shown(story, scene.ana).byline == "you (others see “a member”)"
        named = scene.story(byline=Byline.NAME, title="Named")
        assert story_shown(named, scene.dee).byline == "Ana Lopez"


class TestMemberData:
    def test_export_holds_what_they_wrote_and_their_answers_not_others(self, scene):
        story = scene.story(named=[scene.ben, scene.chidi], text="Ben, Chidi.")
        story_consent_answer(story=story, member=scene.chidi, give=False)
        theirs = scene.story(author=scene.dee, title="Soup", named=[scene.ben], text="Ben!")
        story_consent_answer(story=theirs, member=scene.ben, give=True)
        data = member_stories_export(scene.ana)
        assert [s["title"] for s in data["stories_written"]] == ["A lift to the clinic"]
        assert data["stories_written"][0]["text"] == "Ben, Chidi."
        assert data["stories_written"][0]["appear_as"] == "member"
        assert data["story_consents"] == []
        # Who else it names, and what they answered, is theirs.
        assert set(data["stories_written"][0]) == {
            "circle",
            "title",
            "text",
            "appear_as",
            "written",
            "withdrawn",
            "published",
        }
        ben = member_stories_export(scene.ben)
        assert [(c["story"], c["answer"]) for c in ben["story_consents"]] == [
            ("A lift to the clinic", "asked"),
            ("Soup", "given"),
        ]

    def test_deleting_the_author_removes_unpublished_stories_and_keeps_published(self, scene):
        draft = scene.story(title="Draft", named=[scene.ben], text="Ben.")
        kept = scene.story(title="Kept", byline=Byline.NAME)
        report = scene.published(kept)
        account_delete(user=scene.ana)
        assert not Story.objects.filter(pk=draft.pk).exists()
        assert not StoryMention.objects.filter(story_id=draft.pk).exists()
        kept.refresh_from_db()
        assert kept.author is None and kept.published_in == report
        assert story_for_report(kept)["by"] is None

    def test_deleting_a_named_member_makes_open_stories_unusable_for_good(self, scene):
        open_story = scene.story(title="Open", named=[scene.ben], text="Ben.")
        story_consent_answer(story=open_story, member=scene.ben, give=True)
        published = scene.story(title="Published", named=[scene.ben], text="Ben!")
        story_consent_answer(story=published, member=scene.ben, give=True)
        scene.published(published)
        assert story_usable(open_story)
        account_delete(user=scene.ben)
        gone = StoryMention.objects.get(story=open_story)
        assert (gone.member, gone.consent) == (None, Consent.REFUSED)
        assert not story_usable(open_story)
        kept = StoryMention.objects.get(story=published)
        assert (kept.member, kept.consent) == (None, Consent.GIVEN)
        assert Story.objects.get(pk=published.pk).published_in is not None

    def test_release_alone_refuses_for_them(self, scene):
        story = scene.story(named=[scene.ben], text="Ben.")
        member_stories_release(scene.ben)
        assert mention(story, scene.ben).consent == Consent.REFUSED


@pytest.mark.django_db(transaction=True)
def test_withdrawing_while_a_report_is_published_never_leaves_both():
    scene = Scene()
    story = scene.story()
    report = scene.report()

    def publish():
        with transaction.atomic():
            ids = [s.pk for s in stories_lock_usable(circle=scene.circle, story_ids=[story.pk])]
            return stories_mark_published(story_ids=ids, report=report)

    def withdraw():
        return story_withdraw(story=story, member=scene.ana)

    calls = iter([publish, withdraw])
    results = run_at_once(lambda: next(calls)(), 2)
    story.refresh_from_db()
    if story.published_in_id:
        assert story.withdrawn_at is None
        assert sorted(type(r).__name__ for r in results) == ["DomainError", "int"]
    else:
        assert story.withdrawn_at is not None
        assert 0 in results
