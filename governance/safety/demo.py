"""Demo data for safety: a drawn rota, one handled and one open report, a block, and the
crisis plan every circle starts with (written at creation)."""

import random

from circles.demo import SPAM_POST_TITLE
from circles.models import Circle, Membership, Post
from governance.safety.models import Reason, Report
from governance.safety.selectors import handler_ids, reportable_item
from governance.safety.services import report_create, report_handle, rota_draw

DEMO_DRAW_SEED = 7  # the demo's lot is drawn the same way each time
WILLING = ("ana", "chen")


def seed_safety(*, members: dict, circles: dict[str, Circle]) -> None:
    circle = circles["eastside-mutual-aid"]
    if Report.objects.filter(circle=circle).exists():
        return
    Membership.objects.filter(circle=circle, user__in=[members[key] for key in WILLING]).update(
        care_rota_willing=True
    )
    rng = random.Random(DEMO_DRAW_SEED)
    rota_draw(circle=circle, rng=rng)
    advert = Post.objects.get(circle=circle, title=SPAM_POST_TITLE)
    handled, _new = report_create(
        circle=circle,
        reporter=members["chen"],
        item=reportable_item(circle=circle, viewer=members["chen"], target="post", pk=advert.pk),
        reason=Reason.SPAM,
        words="Looks like an advert, not an offer.",
        rng=rng,
    )
    handler = min(handler_ids(report=handled))
    report_handle(
        report=handled,
        member=Membership.objects.get(circle=circle, user_id=handler).user,
        note="Opened a proposal to take the advert down.",
    )
    eli = members["eli"]
    report_create(
        circle=circle,
        reporter=members["bo"],
        item=reportable_item(circle=circle, viewer=members["bo"], target="member", pk=eli.pk),
        reason=Reason.HARASSMENT,
        words="Keeps writing to me late at night after I said no.",
        block=True,
        rng=rng,
    )
