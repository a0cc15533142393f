"""A post's lifecycle: the one table of status changes, and what a page offers on a post,
read off it. Services change a status only as this table says, and ask it what is possible
(which posts take responses, which are still running); so do pages."""

from dataclasses import dataclass, fields

from circles.models import Post, PostStatus
from peernet.members.models import User

# Every status change a post may make, and who may make it. The one place this rule lives:
# a status changes only through _transition (one post) or sources_of (the scheduler's bulk
# update), and what a page offers (post_actions) is read off this table too.
AUTHOR, SCHEDULER, DECISION = "author", "scheduler", "decision"
TRANSITIONS: dict[tuple[str, str], str] = {
    (PostStatus.OPEN, PostStatus.IN_PROGRESS): AUTHOR,
    (PostStatus.OPEN, PostStatus.FULFILLED): AUTHOR,
    (PostStatus.IN_PROGRESS, PostStatus.FULFILLED): AUTHOR,
    (PostStatus.OPEN, PostStatus.WITHDRAWN): AUTHOR,
    (PostStatus.IN_PROGRESS, PostStatus.WITHDRAWN): AUTHOR,
    (PostStatus.EXPIRED, PostStatus.OPEN): AUTHOR,  # extending an expired post reopens it
    (PostStatus.OPEN, PostStatus.EXPIRED): SCHEDULER,
    (PostStatus.IN_PROGRESS, PostStatus.EXPIRED): SCHEDULER,
    **{
        (status, PostStatus.REMOVED): DECISION
        for status in PostStatus.values
        if status != PostStatus.REMOVED
    },
}


def transition_allowed(*, current: str, new: str, by: str) -> bool:
    return TRANSITIONS.get((current, new)) == by


def sources_of(new: str, *, by: str) -> list[str]:
    """The statuses from which `by` may move a post to `new`."""
    return [
        current for (current, target), actor in TRANSITIONS.items() if (target, actor) == (new, by)
    ]


def running_statuses() -> list[str]:
    """A post is running while the scheduler may still expire it: its conversations are
    open, and more time keeps it as it is."""
    return sources_of(PostStatus.EXPIRED, by=SCHEDULER)


def still_running(*, status: str) -> bool:
    return status in running_statuses()


def responding_statuses() -> list[str]:
    """Responses are welcome while the author can still accept a responder."""
    return sources_of(PostStatus.IN_PROGRESS, by=AUTHOR)


def takes_responses(*, status: str) -> bool:
    return status in responding_statuses()


def takes_thanks(*, status: str) -> bool:
    """A public thank-you note belongs to help that happened."""
    return status == PostStatus.FULFILLED


@dataclass(frozen=True)
class PostActions:
    """What a page offers one person on one post: each true field is a button."""

    accept: bool = False  # accept a responder: the post is then in progress
    fulfil: bool = False
    thank: bool = False  # a public thank-you note on a fulfilled post
    extend: bool = False  # more time for a post that is still running
    reopen: bool = False  # more time for an expired post, which opens it again
    withdraw: bool = False
    respond: bool = False  # "I can help" / "I'd like this"
    report: bool = False

    @property
    def names(self) -> frozenset[str]:
        return frozenset(field.name for field in fields(self) if getattr(self, field.name))


def post_actions(*, post: Post, viewer: User, responded: bool) -> PostActions:
    """What a page offers this member on this post, read off the status table. The author
    acts on their post; anyone else may respond (once: `responded` says they have) while
    the post takes responses, and may report it."""
    if not viewer.is_authenticated:
        return PostActions()
    status = post.status
    if viewer.pk == post.author_id:

        def author_may(new: str) -> bool:
            return transition_allowed(current=status, new=new, by=AUTHOR)

        return PostActions(
            accept=author_may(PostStatus.IN_PROGRESS),
            fulfil=author_may(PostStatus.FULFILLED),
            thank=takes_thanks(status=status),
            extend=still_running(status=status),
            reopen=author_may(PostStatus.OPEN),
            withdraw=author_may(PostStatus.WITHDRAWN),
        )
    return PostActions(respond=not responded and takes_responses(status=status), report=True)
