"""Writes for stories of help: writing one, answering whether it may name you, withdrawing
it, marking it published, and what happens to stories when an account is deleted.

Privacy by default: a story names a member only with their consent, and the text may not
name a member of the circle it does not ask. Once a report carrying the story is published,
the story and every answer about it are final, because the report never changes."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.models import Circle
from circles.selectors import active_member_ids, membership_of
from governance.legitimacy import constants
from governance.legitimacy.models import Byline, Consent, PublishedReport, Story, StoryMention
from governance.legitimacy.naming import member_names, name_pattern, names_in
from governance.legitimacy.selectors.stories import only_usable
from governance.models import Proposal, ProposalKind
from peernet import limits
from peernet.errors import DomainError, full_clean_or_refuse
from peernet.exports import iso
from peernet.members.models import User
from peernet.members.selectors import blocked_either_way
from peernet.notify.models import Kind
from peernet.notify.services import notify

# A story reaches the members it names, so writing them is limited like posts are.
STORIES_LIMIT = limits.Limit("stories", 10, timedelta(hours=1))


def _check_names(*, circle: Circle, author: User, text: str, byline: str, named_ids: set[int]):
    """Refuse a story whose words name a member it does not ask, or whose author wants to
    appear as "a member" but names themself."""
    names = member_names(circle=circle)
    unasked = [name for pk, name in names.items() if pk not in named_ids and pk != author.pk]
    hidden = [author.display_name] if byline == Byline.MEMBER else []
    allowed = [names[pk] for pk in named_ids if pk in names]
    if byline == Byline.NAME:
        allowed.append(author.display_name)
    # The names the story may hold are blanked first, so "Ben Smith" (asked) is no mention of
    # "Ben" (not asked); but not a name that someone not asked also has: nobody could tell
    # the two apart, so it counts as theirs.
    taken = {name.strip().casefold() for name in [*unasked, *hidden]}
    for name in allowed:
        if name.strip() and name.strip().casefold() not in taken:
            text = name_pattern(name).sub(" ", text)
    if names_in(text, hidden):
        raise DomainError(
            _(
                "Your story mentions your own display name, %(name)s, which would show who "
                "wrote it. Leave it out, or choose to appear by your display name."
            )
            % {"name": author.display_name}
        )
    if found := names_in(text, unasked):
        raise DomainError(
            _(
                "Your story mentions %(name)s. Add them to the people it names, so they can "
                "consent, or leave their name out."
            )
            % {"name": ", ".join(found)}
        )


def story_names_problem(story: Story) -> str | None:
    """Why the story cannot be published as it stands today, or None: its words name a member
    it did not ask (someone who joined, or took that name, after it was written)."""
    try:
        _check_names(
            circle=story.circle,
            author=story.author,
            text=f"{story.title}\n{story.text}",
            byline=story.byline,
            named_ids={mention.member_id for mention in story.mentions.all()},
        )
    except DomainError as error:
        return error.message
    return None


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update(of=("self",)).select_related("circle").get(pk=story.pk)


@transaction.atomic
def story_create(
    *,
    circle: Circle,
    author: User,
    title: str,
    text: str,
    byline: str,
    named: list[User],
) -> Story:
    """A member's story of help. Each member it names is asked, and it stays out of reports
    until they all say yes."""
    limits.limit_hit(STORIES_LIMIT, key=limits.member_key(author))
    if membership_of(circle=circle, user=author) is None:
        raise DomainError(_("Only members of this circle can write its stories."))
    if byline not in Byline.values:
        raise DomainError(_("Choose how you appear: by your display name or as “a member”."))
    people = {person.pk: person for person in named}
    if author.pk in people:
        raise DomainError(_("You don't need to name yourself: choose how you appear instead."))
    if set(people) - active_member_ids(circle.pk, people):
        raise DomainError(_("A story can only name members of this circle."))
    story = Story(
        circle=circle,
        author=author,
        title=title.strip(),
        text=text.strip(),
        byline=byline,
    )
    # A TextField's max_length is not a model check: the story's limit is kept here.
    if len(story.text) > constants.STORY_TEXT_MAX_LENGTH:
        raise DomainError(
            _("A story is at most %(count)d characters: this one has %(length)d.")
            % {"count": constants.STORY_TEXT_MAX_LENGTH, "length": len(story.text)}
        )
    full_clean_or_refuse(story, exclude=["published_in"])
    _check_names(
        circle=circle,
        author=author,
        text=f"{story.title}\n{story.text}",
        byline=byline,
        named_ids=set(people),
    )
    story.save()
    StoryMention.objects.bulk_create(
        StoryMention(story=story, member=person) for person in people.values()
    )
    _ask_consent(story, list(people.values()))
    return story


def _ask_consent(story: Story, people: list[User]) -> None:
    """Each named member hears of it once. The author is named only when they chose to be;
    no one in a block with the author hears of it (they still find it among their stories)."""
    blocked = set(blocked_either_way(story.author)) if people else set()
    by_name = story.byline == Byline.NAME
    for person in people:
        if person.pk in blocked:
            continue
        notify(
            recipients=[person],
            kind=Kind.STORY_CONSENT,
            message=gettext_noop(
                "%(name)s wrote a story of help that names you: “%(title)s”. It goes in no "
                "report unless you agree."
            )
            if by_name
            else gettext_noop(
                "A member wrote a story of help that names you: “%(title)s”. It goes in no "
                "report unless you agree."
            ),
            params={"title": story.title},
            actor=story.author if by_name else None,
            url=story.get_absolute_url(),
            circle=story.circle,
            once_key=f"story-consent:{story.pk}:{person.pk}",
        )


@transaction.atomic
def story_consent_answer(*, story: Story, member: User, give: bool) -> StoryMention:
    """A named member says yes or no. They may change their mind until a report carrying the
    story is published; a no makes the story unusable again."""
    story = _lock(story)
    mention = (
        StoryMention.objects.select_for_update().filter(story=story, member=member).first()
        if member.is_authenticated
        else None
    )
    if mention is None:
        raise DomainError(_("Only the people this story names can answer."))
    if story.published_in_id is not None:
        raise DomainError(
            _("This story is in a published report, which never changes, so your answer is final.")
        )
    if story.withdrawn_at is not None:
        raise DomainError(_("This story was withdrawn: it needs no answer."))
    answer = Consent.GIVEN if give else Consent.REFUSED
    if mention.consent == answer:
        return mention
    mention.consent = answer
    mention.answered_at = timezone.now()
    mention.save(update_fields=["consent", "answered_at"])
    if story.author is not None:
        notify(
            recipients=[story.author],
            kind=Kind.STORY_ANSWERED,
            message=gettext_noop("%(name)s agreed to be named in your story “%(title)s”.")
            if give
            else gettext_noop(
                "%(name)s would rather not be named in your story “%(title)s”, so it stays out "
                "of reports."
            ),
            params={"title": story.title},
            actor=member,
            url=story.get_absolute_url(),
            circle=story.circle,
            once_key=f"story-answered:{story.pk}:{member.pk}:{answer}",
        )
    return mention


@transaction.atomic
def story_withdraw(*, story: Story, member: User) -> Story:
    """The author takes their story back, until a report carrying it is published."""
    story = _lock(story)
    if not member.is_authenticated or story.author_id != member.pk:
        raise DomainError(_("Only the person who wrote this story can withdraw it."))
    if story.published_in_id is not None:
        raise DomainError(
            _(
                "This story is in a published report, which never changes, so it can no "
                "longer be withdrawn."
            )
        )
    if story.withdrawn_at is None:
        story.withdrawn_at = timezone.now()
        story.save(update_fields=["withdrawn_at"])
        _forget_in_report_proposals(circle_ids=[story.circle_id], story_ids={story.pk})
    return story


def _forget_in_report_proposals(*, circle_ids, story_ids: set[int]) -> None:
    """A "publish a report" proposal keeps the report as it would be published, stories
    included: a story withdrawn, or gone with its author's account, leaves every one of them,
    open or closed, so nobody reads it there any more. (A published story cannot be
    withdrawn, and stays with its report.)"""
    proposals = Proposal.objects.select_for_update().filter(
        circle_id__in=circle_ids, kind=ProposalKind.PUBLISH_REPORT
    )
    for proposal in proposals:
        report = proposal.change.get("report", {})
        kept = [s for s in report.get("stories", []) if s["id"] not in story_ids]
        if len(kept) != len(report.get("stories", [])):
            report["stories"] = kept
            proposal.save(update_fields=["change"])


@transaction.atomic
def stories_lock_usable(*, circle: Circle, story_ids) -> list[Story]:
    """For the report publisher, inside its transaction: locks these stories and returns
    those that can still go in a report, oldest first. Until that transaction ends, nobody
    can withdraw them or take back a consent."""
    locked = list(
        Story.objects.select_for_update()
        .filter(circle=circle, pk__in=list(story_ids))
        .values_list("pk", flat=True)
    )
    # Read again once the locks are held: a consent taken back while this waited changed a
    # mention, not the story row, so the locking read itself would not have seen it.
    return list(
        only_usable(Story.objects.filter(pk__in=locked))
        .select_related("author", "circle")
        .prefetch_related("mentions")
        .order_by("created_at", "pk")
    )


@transaction.atomic
def stories_mark_published(*, story_ids, report: PublishedReport) -> int:
    """The report now carries these stories: from here on they can't be withdrawn and their
    consents are final. Stories already in an earlier report keep that one. Refuses (and so
    the publishing is undone) if one of them can no longer go in a report, so a report never
    carries a story that lost a consent or was withdrawn while it was being made."""
    ids = set(story_ids)
    locked = list(
        Story.objects.select_for_update(of=("self",))
        .filter(circle_id=report.circle_id, pk__in=ids)
        .values_list("pk", flat=True)
    )
    usable = set(only_usable(Story.objects.filter(pk__in=locked)).values_list("pk", flat=True))
    if usable != ids:
        raise DomainError(
            _(
                "A story in this report was withdrawn, or someone it names took back their "
                "consent, so the report can't be published as it is."
            )
        )
    return Story.objects.filter(pk__in=ids, published_in__isnull=True).update(published_in=report)


# --- A member's data ------------------------------------------------------------------------


def member_stories_export(user: User) -> dict:
    """The stories they wrote, and their answers to stories that name them. Not who else a
    story names, nor their answers: those are the other members' to give."""
    written = Story.objects.filter(author=user).select_related("circle").order_by("created_at")
    answers = (
        StoryMention.objects.filter(member=user)
        .select_related("story__circle")
        .order_by("story__created_at", "pk")
    )
    return {
        "stories_written": [
            {
                "circle": s.circle.name,
                "title": s.title,
                "text": s.text,
                "appear_as": s.byline,
                "written": iso(s.created_at),
                "withdrawn": iso(s.withdrawn_at),
                "published": s.published_in_id is not None,
            }
            for s in written
        ],
        "story_consents": [
            {
                "circle": m.story.circle.name,
                "story": m.story.title,
                "answer": m.consent,
                "answered": iso(m.answered_at),
            }
            for m in answers
        ],
    }


def member_stories_release(user: User) -> None:
    """Their stories not yet in a published report go with them; a story naming them that is
    not yet published can never be used (their refusal outlives the account). A published
    report never changes, so its stories stay, their author shown as "a member"."""
    leaving = Story.objects.filter(author=user, published_in__isnull=True)
    _forget_in_report_proposals(
        circle_ids=set(leaving.values_list("circle_id", flat=True)),
        story_ids=set(leaving.values_list("pk", flat=True)),
    )
    leaving.delete()
    StoryMention.objects.filter(member=user, story__published_in__isnull=True).update(
        consent=Consent.REFUSED, answered_at=timezone.now()
    )
