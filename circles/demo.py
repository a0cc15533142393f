"""Demo circles of every visibility and join policy, with members and pending requests."""

from datetime import timedelta

from django.utils import timezone

from circles.models import Circle, JoinPolicy, Visibility
from circles.services import circle_create, join_request_create, membership_add

DEMO_CIRCLES = [
    # slug, name, visibility, join policy, approvals, members (first is the founder), applicants
    (
        "eastside-mutual-aid",
        "Eastside Mutual Aid",
        Visibility.PUBLIC,
        JoinPolicy.OPEN,
        1,
        ["ana", "bo", "chen", "eli"],
        [],
    ),
    (
        "parents-peer-circle",
        "Parents Peer Circle",
        Visibility.PUBLIC,
        JoinPolicy.APPROVAL,
        2,
        ["dee", "ana", "fran"],
        ["eli"],
    ),
    (
        "night-owls",
        "Night Owls",
        Visibility.UNLISTED,
        JoinPolicy.APPROVAL,
        1,
        ["bo", "chen"],
        ["fran"],
    ),
    (
        "hearing-voices-peers",
        "Hearing Voices Peers",
        Visibility.PRIVATE,
        JoinPolicy.INVITE,
        1,
        ["chen", "ana", "bo"],
        [],
    ),
]
PURPOSES = {
    "eastside-mutual-aid": "Neighbours sharing food, rides and a hand with errands.\n\n"
    "* Ask for what you need.\n* Offer what you can.",
    "parents-peer-circle": "Parents and carers swapping childcare and *a listening ear*.",
    "night-owls": "For those of us awake at 3am. Company, not advice.",
    "hearing-voices-peers": "A private space for voice hearers, by voice hearers.",
}
TOPICS = {
    "eastside-mutual-aid": "food, transport, errands",
    "parents-peer-circle": "childcare, parenting",
    "night-owls": "sleep, company",
    "hearing-voices-peers": "voices, peer support",
}


def seed_circles(*, members: dict) -> dict[str, Circle]:
    circles = {}
    for slug, name, visibility, policy, approvals, people, applicants in DEMO_CIRCLES:
        circle = Circle.objects.filter(name=name).first()
        if circle is None:
            circle = circle_create(
                creator=members[people[0]],
                name=name,
                purpose=PURPOSES[slug],
                topics=TOPICS[slug],
                area="Eastside" if slug.startswith("eastside") else "",
                visibility=visibility,
                join_policy=policy,
                approvals_needed=approvals,
            )
            for key in people[1:]:
                membership_add(circle=circle, user=members[key])
            for key in applicants:
                join_request_create(
                    circle=circle, user=members[key], message="I'd love to be part of this."
                )
        circles[slug] = circle
    return circles


# (author, kind, title, details, category, what happens to it). Statuses come from the
# services, as a member would make them; "removed" is left to the governance demo.
# A post the demo reports to the care rota and proposes to remove.
# Listed oldest first: each is dated DEMO_POST_SPACING after the one before, so the board
# reads like a week of a circle's life rather than posts all made "just now".
DEMO_POST_SPACING = timedelta(hours=7)
SPAM_POST_TITLE = "Spam-looking advert"
DEMO_POSTS = [
    ("eli", "offer", SPAM_POST_TITLE, "Buy cheap things here.", "other", "open"),
    ("bo", "need", "Lift to the clinic on Thursday", "Appointment at 10am.", "transport", "open"),
    ("chen", "offer", "Soup on Sundays", "A big pot, vegetarian.", "food", "open"),
    ("eli", "need", "Help filling in a benefits form", "", "money", "conversation"),
    ("ana", "offer", "Spare winter coats", "Two adult coats, size M.", "items", "in_progress"),
    ("bo", "need", "Someone to walk my dog this week", "", "errands", "fulfilled"),
    ("chen", "offer", "Guitar lessons", "Beginners welcome.", "skills", "withdrawn"),
    ("eli", "need", "A ladder for an afternoon", "", "items", "expired"),
    ("ana", "need", "Company on a hard day", "Just someone to sit with.", "emotional", "open"),
    ("dee", "offer", "Babysitting swaps", "Evenings, weekdays.", "childcare", "open"),
    ("chen", "offer", "Lifts to the shops", "I drive on Saturdays.", "transport", "open"),
]
ANONYMOUS_NEED = (
    "fran",
    "Someone to talk to about money worries",
    "I would rather not say who I am here.",
)


def seed_posts(*, members: dict, circles: dict[str, Circle]) -> None:
    from circles import services
    from circles.board_cache import board_changed
    from circles.models import Post

    eastside = circles["eastside-mutual-aid"]
    if Post.objects.filter(circle=eastside).exists():
        return
    helper, thanker = members["ana"], members["bo"]
    now = timezone.now()
    for index, (key, kind, title, details, category, fate) in enumerate(DEMO_POSTS):
        author = members[key]
        circle = circles["parents-peer-circle"] if key == "dee" else eastside
        post = services.post_create(
            circle=circle,
            author=author,
            kind=kind,
            title=title,
            details=details,
            category=category,
            area="Eastside",
        )
        posted_at = now - DEMO_POST_SPACING * (len(DEMO_POSTS) - index)
        Post.objects.filter(pk=post.pk).update(created_at=posted_at)
        board_changed(circle_ids=[circle.pk])
        responder = helper if author != helper else thanker
        if fate in {"conversation", "in_progress", "fulfilled"}:
            response = services.response_create(
                post=post, responder=responder, text="I can help with this."
            )
            services.message_send(response=response, sender=author, text="Thank you! When?")
            services.message_send(response=response, sender=responder, text="Tomorrow at 5?")
        if fate in {"in_progress", "fulfilled"}:
            services.response_accept(post=post, author=author, response=response)
        if fate == "fulfilled":
            services.post_fulfil(post=post, author=author, thank_you="Ana made my week.")
        if fate == "withdrawn":
            services.post_withdraw(post=post, author=author)
        if fate == "expired":
            Post.objects.filter(pk=post.pk).update(expires_at=post.created_at)
            services.posts_expire_due()
    author, title, details = ANONYMOUS_NEED
    parents = circles["parents-peer-circle"]
    need = services.post_create(
        circle=parents,
        author=members[author],
        kind="need",
        title=title,
        details=details,
        category="money",
        anonymous=True,
    )
    response = services.response_create(
        post=need, responder=members["dee"], text="I have been there. Happy to talk."
    )
    services.message_send(response=response, sender=members[author], text="Thank you.")
