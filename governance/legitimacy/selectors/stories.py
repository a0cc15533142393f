"""Reads for stories of help: the circle's list, one story, which stories a report may carry,
and how a report shows one.

The rule a report depends on lives here, in one place: a story can go in a report only when
it is not withdrawn, its author still has an account, and everyone it names said yes."""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q
from django.db.models.query import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from circles.models import Circle, Membership
from circles.selectors import anonymous_author_name
from governance.legitimacy.models import Byline, Consent, Story, StoryMention
from peernet.members.models import User


def _mentions_prefetch() -> Prefetch:
    mentions = StoryMention.objects.select_related("member").order_by("member__display_name", "pk")
    return Prefetch("mentions", queryset=mentions)


def _not_all_consented() -> Exists:
    """A mention of this story that is not a yes (asked, refused, or a deleted account's), or
    a yes from someone no longer in the circle: they can no longer take it back, so it stands
    for nothing."""
    return Exists(
        StoryMention.objects.filter(story=OuterRef("pk")).filter(
            ~Q(consent=Consent.GIVEN) | ~_named_still_member()
        )
    )


def _named_still_member() -> Exists:
    """Inside a query of mentions: the member named is in the story's circle now."""
    return Exists(
        Membership.objects.active().filter(
            circle_id=OuterRef("story__circle_id"), user_id=OuterRef("member_id")
        )
    )


def _author_still_member() -> Exists:
    """An author who left can no longer withdraw their story, so it goes in no report."""
    return Exists(
        Membership.objects.active().filter(
            circle_id=OuterRef("circle_id"), user_id=OuterRef("author_id")
        )
    )


def _someone_left() -> ExpressionWrapper:
    """Its author, or someone it names, is no longer in the circle."""
    named_gone = Exists(
        StoryMention.objects.filter(story=OuterRef("pk"), member__isnull=False).exclude(
            _named_still_member()
        )
    )
    return ExpressionWrapper(~_author_still_member() | named_gone, output_field=BooleanField())


def only_usable(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Those of these stories that can go in a report."""
    # No aggregate: the report publisher may lock these rows with select_for_update.
    return (
        stories.filter(withdrawn_at__isnull=True, author__isnull=False)
        .filter(_author_still_member())
        .exclude(_not_all_consented())
    )


def stories_of(*, circle: Circle, viewer: User | None = None) -> QuerySet[Story]:
    """The circle's stories for its list: those still standing first, newest first; a
    withdrawn story only for its author. Author and mentions come in two more queries,
    whatever the number of stories."""
    stories = Story.objects.filter(circle=circle)
    if viewer is not None and viewer.is_authenticated:
        stories = stories.filter(Q(withdrawn_at__isnull=True) | Q(author=viewer))
    else:
        stories = stories.filter(withdrawn_at__isnull=True)
    return (
        stories.annotate(
            is_withdrawn=ExpressionWrapper(
                Q(withdrawn_at__isnull=False), output_field=BooleanField()
            ),
            someone_left=_someone_left(),
        )
        .select_related("author")
        .prefetch_related(_mentions_prefetch())
        .order_by("is_withdrawn", "-created_at", "-pk")
    )


def story_in_circle(*, circle: Circle, pk: int, viewer: User | None = None) -> Story:
    """One story of this circle, with its author and mentions; a 404 when it is not there,
    and for a withdrawn story to anyone but its author."""
    story = (
        Story.objects.filter(circle=circle, pk=pk)
        .annotate(someone_left=_someone_left())
        .select_related("author", "circle", "published_in")
        .prefetch_related(_mentions_prefetch())
        .first()
    )
    if story is None:
        raise Http404
    is_author = viewer is not None and viewer.is_authenticated and story.author_id == viewer.pk
    if story.withdrawn_at is not None and not is_author:
        raise Http404
    return story


def stories_usable(*, circle: Circle) -> QuerySet[Story]:
    """The stories that can go in a report: not withdrawn, the author still has an account,
    and every member the story names consented. Oldest first, as a report tells them."""
    return only_usable(Story.objects.filter(circle=circle)).order_by("created_at", "pk")


def story_usable(story: Story) -> bool:
    return only_usable(Story.objects.filter(pk=story.pk)).exists()


def story_for_report(story: Story) -> dict:
    """A story as a report carries it, and nothing else about people: the author's name only
    when they chose to appear by it (None reads "a member")."""
    by = None
    if story.byline == Byline.NAME and story.author_id is not None:
        by = story.author.display_name
    return {"id": story.pk, "title": story.title, "text": story.text, "by": by}


def mentions_waiting_for(*, user: User, circle: Circle) -> QuerySet[StoryMention]:
    """The stories of this circle that name this member and wait for their answer."""
    if not user.is_authenticated:
        return StoryMention.objects.none()
    return (
        StoryMention.objects.filter(
            member=user,
            consent=Consent.ASKED,
            story__circle=circle,
            story__withdrawn_at__isnull=True,
            story__published_in__isnull=True,
        )
        .select_related("story__author")
        .order_by("-story__created_at", "-story__pk")
    )


def nameable_members(*, circle: Circle, author: User) -> QuerySet[User]:
    """Whom a story by this author may name: the circle's other current members."""
    members = Membership.objects.active().filter(circle=circle).values("user_id")
    return User.objects.filter(pk__in=members).exclude(pk=author.pk).order_by("display_name", "pk")


# --- How a story is shown ------------------------------------------------------------------


class Status:
    WITHDRAWN = "withdrawn"
    PUBLISHED = "published"
    AUTHOR_GONE = "author_gone"
    SOMEONE_LEFT = "someone_left"
    DECLINED = "declined"
    WAITING = "waiting"
    READY = "ready"


@dataclass(frozen=True)
class StoryShown:
    """A story as a member sees it in the list and on its page."""

    story: Story
    byline: str
    status: str
    waiting: int  # how many named members have not answered
    declined: int  # how many said no (or no longer have an account)
    mine: bool
    my_mention: StoryMention | None

    @property
    def can_withdraw(self) -> bool:
        return self.mine and self.status not in (Status.WITHDRAWN, Status.PUBLISHED)

    @property
    def can_answer(self) -> bool:
        return self.my_mention is not None and self.status not in (
            Status.WITHDRAWN,
            Status.PUBLISHED,
        )


def story_byline(story: Story, viewer: User | None = None) -> str:
    """How a story's author is named in the circle: by name when they chose it, else "a
    member" to everyone but themselves."""
    if story.author_id is None:
        return _("a former member")
    mine = viewer is not None and viewer.is_authenticated and viewer.pk == story.author_id
    if story.byline == Byline.NAME:
        return story.author.display_name
    return anonymous_author_name(mine)


def story_shown(story: Story, viewer: User | None = None) -> StoryShown:
    """Uses the prefetched mentions: no query."""
    mentions = list(story.mentions.all())
    waiting = sum(1 for m in mentions if m.consent == Consent.ASKED)
    declined = sum(1 for m in mentions if m.consent == Consent.REFUSED)
    if story.withdrawn_at is not None:
        status = Status.WITHDRAWN
    elif story.published_in_id is not None:
        status = Status.PUBLISHED
    elif story.author_id is None:
        status = Status.AUTHOR_GONE
    elif getattr(story, "someone_left", False):
        status = Status.SOMEONE_LEFT
    elif declined:
        status = Status.DECLINED
    elif waiting:
        status = Status.WAITING
    else:
        status = Status.READY
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    return StoryShown(
        story=story,
        byline=story_byline(story, viewer),
        status=status,
        waiting=waiting,
        declined=declined,
        mine=viewer_id is not None and story.author_id == viewer_id,
        my_mention=next((m for m in mentions if viewer_id and m.member_id == viewer_id), None),
    )
