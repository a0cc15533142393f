"""Demo governance: agreements with histories, open proposals of every kind, past decisions."""

from circles.demo import SPAM_POST_TITLE
from circles.models import Circle, Post
from governance.models import Agreement, Proposal, ProposalKind
from governance.services import ballot_cast, proposal_create

DEMO_CIRCLE = "eastside-mutual-aid"
DEMO_WARMLINE = "Eastside peer warmline, every evening from 6pm to 2am: 555-0142."


def propose_once(circle, proposer, kind, title, data):
    existing = Proposal.objects.filter(circle=circle, title=title).first()
    if existing:
        return existing, False
    proposal = proposal_create(
        circle=circle,
        proposer=proposer,
        kind=kind,
        title=title,
        reason="Talked about at the last potluck.",
        data=data,
    )
    return proposal, True


def decide(proposal, voters, choices):
    for voter, choice in zip(voters, choices, strict=True):
        ballot_cast(proposal=proposal, voter=voter, choice=choice)


def seed_governance(*, members: dict, circles: dict[str, Circle]) -> None:
    circle = circles[DEMO_CIRCLE]
    ana, bo, chen, eli = (members[k] for k in ("ana", "bo", "chen", "eli"))
    everyone = [ana, bo, chen, eli]

    # An agreement with a history: added, then amended.
    added, new = propose_once(
        circle,
        ana,
        ProposalKind.ADD_AGREEMENT,
        "Agree how we share food",
        {"title": "Food sharing", "text": "Food offered here is free. Say if it has allergens."},
    )
    if new:
        decide(added, everyone, ["yes", "yes", "yes", "abstain"])
    food = Agreement.objects.get(circle=circle, title="Food sharing")
    amended, new = propose_once(
        circle,
        bo,
        ProposalKind.AMEND_AGREEMENT,
        "Mention halal and vegan food",
        {
            "agreement": food,
            "title": "Food sharing",
            "text": "Food offered here is free. Say if it has allergens, and if it is "
            "halal or vegan.",
        },
    )
    if new:
        decide(amended, everyone, ["yes", "yes", "no", "yes"])
    care, new = propose_once(
        circle,
        chen,
        ProposalKind.ADD_AGREEMENT,
        "Agree on privacy",
        {
            "title": "What is said here stays here",
            "text": "Nothing shared in a conversation leaves it without the person's consent.",
        },
    )
    if new:
        decide(care, everyone, ["yes", "yes", "yes", "yes"])

    # A decision that failed.
    failed, new = propose_once(
        circle, eli, ProposalKind.RESOLUTION, "Meet every week instead of monthly", {}
    )
    if new:
        decide(failed, everyone, ["no", "no", "yes", "abstain"])

    # Open proposals, one of each kind that needs no posts.
    privacy = Agreement.objects.get(circle=circle, title="What is said here stays here")
    open_ones = [
        (
            ana,
            ProposalKind.ADD_AGREEMENT,
            "Add a rule about lending tools",
            {"title": "Lending tools", "text": "Return tools within a week, clean."},
        ),
        (
            bo,
            ProposalKind.AMEND_AGREEMENT,
            "Make the privacy rule clearer",
            {
                "agreement": privacy,
                "title": "What is said here stays here",
                "text": "Nothing shared in a conversation leaves it without the person's clear "
                "consent.",
            },
        ),
        (
            chen,
            ProposalKind.REPEAL_AGREEMENT,
            "Drop the food rule, it is obvious",
            {"agreement": Agreement.objects.get(circle=circle, title="Food sharing")},
        ),
        (
            eli,
            ProposalKind.CHANGE_CIRCLE_SETTINGS,
            "Ask people to request to join",
            {"join_policy": "approval"},
        ),
        (
            ana,
            ProposalKind.CHANGE_DECISION_SETTINGS,
            "Give ourselves ten days to vote",
            {"voting_days": 10},
        ),
        (bo, ProposalKind.REMOVE_MEMBER, "Eli has not been here for a year", {"member": eli}),
        (chen, ProposalKind.RESOLUTION, "Thank the library for the room", {}),
        (
            chen,
            ProposalKind.CHANGE_CRISIS_PLAN,
            "Put the warmline in our crisis plan",
            {"crisis_plan": f"{circle.crisis_plan}\n\n{DEMO_WARMLINE}"},
        ),
    ]
    advert = Post.objects.filter(circle=circle, title=SPAM_POST_TITLE).first()
    if advert:
        open_ones.append((ana, ProposalKind.REMOVE_POST, "Take down the advert", {"post": advert}))
    for proposer, kind, title, data in open_ones:
        proposal, new = propose_once(circle, proposer, kind, title, data)
        if new and kind == ProposalKind.ADD_AGREEMENT:
            ballot_cast(proposal=proposal, voter=bo, choice="yes")
