"""Demo data for legitimacy, in Eastside Mutual Aid (public): what it counts, a consented
story, funding accepted by supermajority, a published report carrying both, and one proposal
of each legitimacy kind open for votes."""

from datetime import timedelta

from circles.models import Circle
from circles.services import membership_add, post_create, response_create
from governance.demo import DEMO_CIRCLE, decide, propose_once
from governance.legitimacy.days import day_of
from governance.legitimacy.models import Measure, PartnershipKind, PublishedReport
from governance.legitimacy.services.stories import story_consent_answer, story_create
from governance.models import Agreement, ProposalKind

# Two more neighbours join, so that at least five members are active and the figures show.
JOINING = ("dee", "fran")
COUNTED = [
    Measure.NEEDS_POSTED,
    Measure.NEEDS_MET,
    Measure.OFFERS_TAKEN_UP,
    Measure.FIRST_RESPONSE_TIME,
    Measure.ACTIVE_MEMBERS,
    Measure.CONVERSATIONS,
    Measure.CATEGORIES,
    Measure.DECISIONS,
]
FUNDING_DAYS = 240


def _join_and_take_part(circle: Circle, members: dict) -> None:
    for key in JOINING:
        membership_add(circle=circle, user=members[key])
    need = post_create(
        circle=circle,
        author=members["dee"],
        kind="need",
        title="Help carrying a sofa upstairs",
        category="errands",
    )
    response_create(post=need, responder=members["fran"], text="I can lift on Saturday.")
    offer = post_create(
        circle=circle,
        author=members["fran"],
        kind="offer",
        title="Spare jars of plum jam",
        category="food",
    )
    response_create(post=offer, responder=members["dee"], text="I'd love a jar.")


def seed_legitimacy(*, members: dict, circles: dict[str, Circle]) -> None:
    circle = circles[DEMO_CIRCLE]
    if PublishedReport.objects.filter(circle=circle).exists():
        return
    _join_and_take_part(circle, members)
    everyone = [members[k] for k in ("ana", "bo", "chen", "eli", "dee", "fran")]
    ana, bo, chen, eli = everyone[:4]

    measures, new = propose_once(
        circle,
        ana,
        ProposalKind.CHOOSE_MEASURES,
        "Count what funders ask about, nothing about any one of us",
        {"measures": [str(m) for m in COUNTED]},
    )
    if new:
        decide(measures, everyone, ["yes"] * len(everyone))

    story = story_create(
        circle=circle,
        author=bo,
        title="A bike, fixed in an afternoon",
        text="My bike broke the week I started a new job. Chen fixed it on the pavement "
        "outside the library, and I made it to work every day.",
        byline="name",
        named=[chen],
    )
    story_consent_answer(story=story, member=chen, give=True)

    today = day_of()
    food = Agreement.objects.filter(circle=circle, title="Food sharing").first()
    funding, new = propose_once(
        circle,
        eli,
        ProposalKind.ACCEPT_FUNDING,
        "Accept the Eastside Community Fund's grant for the pantry",
        {
            "partnership_kind": PartnershipKind.FUNDING,
            "partner": "Eastside Community Fund",
            "offered": "500 for the shared pantry shelf and bus fares.",
            "asks": "A yearly note of how many needs were met, as the circle publishes it.",
            "agreements": [food] if food else [],
            "will_not_accept": "Names, stories or details of anyone we help; a say in who "
            "joins; any change to our agreements.",
            "ends_on": today + timedelta(days=FUNDING_DAYS),
        },
    )
    if new:
        decide(funding, everyone, ["yes", "yes", "yes", "yes", "no", "yes"])

    report, new = propose_once(
        circle,
        chen,
        ProposalKind.PUBLISH_REPORT,
        "Publish our report for the year",
        {
            "period_start": today - timedelta(days=364),
            "period_end": today,
            "measures": [str(m) for m in COUNTED],
            "stories": [story],
            "introduction": "We are neighbours on the east side who share food, rides and "
            "a hand with errands. Nobody here is a professional; everybody here helps.",
            "known_as": "Eastside Mutual Aid",
            "replaces": None,
        },
    )
    if new:
        decide(report, everyone, ["yes"] * len(everyone))

    # Open for votes: one of each legitimacy kind.
    propose_once(
        circle,
        members["fran"],
        ProposalKind.CHOOSE_MEASURES,
        "Also count the languages we speak",
        {"measures": [str(m) for m in [*COUNTED, Measure.LANGUAGES]]},
    )
    propose_once(
        circle,
        bo,
        ProposalKind.ACCEPT_FUNDING,
        "Take part in the university's study of mutual aid",
        {
            "partnership_kind": PartnershipKind.RESEARCH,
            "partner": "Riverside University, community health study",
            "offered": "Travel costs for two members to speak at the study's workshops.",
            "asks": "Two interviews with members who volunteer.",
            "agreements": [],
            "will_not_accept": "Recordings, names, or anything said in our conversations.",
            "research_returns": "The findings, in plain words, before they are published.",
            "returns_by": today + timedelta(days=150),
            "ends_on": today + timedelta(days=180),
        },
    )
    propose_once(
        circle,
        ana,
        ProposalKind.PUBLISH_REPORT,
        "Publish a report on the last three months",
        {
            "period_start": today - timedelta(days=90),
            "period_end": today,
            "measures": [str(Measure.NEEDS_POSTED), str(Measure.NEEDS_MET)],
            "stories": [],
            "introduction": "A short update for the Community Fund.",
            "known_as": "Eastside Mutual Aid",
            "replaces": None,
        },
    )
