import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from peernet.members.models import Profile, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"peer{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Peer {n}")
    # Like a real sign-up: no password until the member chooses one.
    password = factory.LazyFunction(lambda: make_password(None))

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            Profile.objects.get_or_create(user=self)


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "circles.Circle"

    name = factory.Sequence(lambda n: f"Circle {n}")
    slug = factory.Sequence(lambda n: f"circle-{n}")
    purpose = "Peers helping peers."
    visibility = "public"
    join_policy = "approval"


def make_member(circle, user=None, **kwargs):
    from circles.services import membership_add

    user = user or UserFactory(**kwargs)
    membership_add(circle=circle, user=user)
    return user


def make_circle(*, members: int = 1, **kwargs):
    """A circle with `members` members; returns (circle, [members])."""
    circle = CircleFactory(**kwargs)
    people = [make_member(circle) for _ in range(members)]
    return circle, people


def make_post(circle, author, **kwargs):
    from circles.services import post_create

    defaults = {"kind": "need", "title": "A lift to the clinic", "category": "transport"}
    return post_create(circle=circle, author=author, **{**defaults, **kwargs})


def make_report(circle, reporter, target: str, pk: int, *, reason: str = "other", **kwargs):
    """A report, made as the report form makes it; returns the Report."""
    from governance.safety.selectors import reportable_item
    from governance.safety.services import report_create

    item = reportable_item(circle=circle, viewer=reporter, target=target, pk=pk)
    report, _created = report_create(
        circle=circle, reporter=reporter, item=item, reason=reason, **kwargs
    )
    return report


def make_notifications(user, n=1, url="/circles/", once_key=None):
    """n "asked to join" notifications for user, each from a new person."""
    from django.utils.translation import gettext_noop

    from peernet.notify.models import Kind
    from peernet.notify.services import notify

    for i in range(n):
        notify(
            recipients=[user],
            kind=Kind.JOIN_REQUEST,
            message=gettext_noop("%(name)s asked to join %(circle)s."),
            params={"circle": "Huerta"},
            actor=UserFactory(display_name=f"P{i}"),
            url=url,
            once_key=once_key,
        )
