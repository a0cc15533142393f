"""Demo circles of every visibility and join policy, with members and pending requests."""

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
        circle = Circle.objects.filter(slug=slug).first()
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
