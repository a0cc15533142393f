"""Funding and partnerships a circle accepts by proposal, on its own terms: the terms a
proposal records, the partnership a passed one creates, and the reminders and lapses that
beat runs.

A partnership holds through its end date and has lapsed from the day after: the end date
is the last day of the term, as people read "until 30 June". Thirty days before it, the
members hear that it lapses unless the circle renews it by proposal; the first run of the
beat after the end date lapses it, unless a renewal passed first.
"""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from circles.models import Circle, Membership
from governance.effects import Outcome
from governance.legitimacy import constants
from governance.legitimacy.days import day_of
from governance.legitimacy.models import Partnership, PartnershipKind, PartnershipStatus
from governance.legitimacy.naming import members_named_in
from governance.legitimacy.selectors.partnerships import (
    partnership_from_change,
    renewable_partnerships,
)
from governance.models import Agreement, AgreementStatus, Proposal, ProposalKind
from peernet.errors import DomainError
from peernet.members.models import User
from peernet.notify.models import Kind
from peernet.notify.services import notify

# The texts of the terms, by the name of their form field, with the longest each may be.
TEXT_LIMITS = {
    "partner": constants.PARTNER_NAME_MAX_LENGTH,
    "offered": constants.PARTNERSHIP_TEXT_MAX_LENGTH,
    "asks": constants.PARTNERSHIP_TEXT_MAX_LENGTH,
    "will_not_accept": constants.PARTNERSHIP_TEXT_MAX_LENGTH,
    "research_returns": constants.PARTNERSHIP_TEXT_MAX_LENGTH,
}


def _text(data: dict, field: str) -> str:
    return (data.get(field) or "").strip()


def _shown(day: date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def funding_terms_problems(*, data: dict, today: date | None = None) -> dict[str, str]:
    """What is wrong with these terms, by form field, in words for the member. The one
    place these rules live: the form shows each by its field, the service refuses with them."""
    today = today or day_of()
    problems: dict[str, str] = {}
    kind = data.get("partnership_kind")
    if kind not in PartnershipKind.values:
        problems["partnership_kind"] = _("Choose whether it is funding, a partnership or research.")
    if not _text(data, "partner"):
        problems["partner"] = _("Name the partner: who offers it.")
    if not _text(data, "offered"):
        problems["offered"] = _("Say what is offered.")
    if not _text(data, "will_not_accept"):
        problems["will_not_accept"] = _(
            "Say what the circle will not accept, so everyone can hold the partner to it."
        )
    ends_on = data.get("ends_on")
    latest = today + constants.PARTNERSHIP_TERM_MAX
    if ends_on is None:
        problems["ends_on"] = _("Give an end date: the circle decides again by then.")
    elif ends_on <= today:
        problems["ends_on"] = _("The end date must be after today.")
    elif ends_on > latest:
        problems["ends_on"] = _(
            "The end date can be at most three years away (%(date)s at the latest): "
            "the circle decides again by then."
        ) % {"date": _shown(latest)}
    if kind == PartnershipKind.RESEARCH:
        returns_by = data.get("returns_by")
        if not _text(data, "research_returns"):
            problems["research_returns"] = _("For research, say what comes back to the circle.")
        if returns_by is None:
            problems["returns_by"] = _("For research, say by when it comes back to the circle.")
        elif returns_by <= today:
            problems["returns_by"] = _("The date it comes back by must be after today.")
        elif ends_on is not None and returns_by > ends_on:
            problems["returns_by"] = _(
                "What comes back must come back by the end date, while the circle can "
                "still hold the partner to it."
            )
    for field, limit in TEXT_LIMITS.items():
        if field not in problems and len(_text(data, field)) > limit:
            problems[field] = _("This can be at most %(n)d characters long.") % {"n": limit}
    return problems


def _renewed(circle: Circle, value) -> Partnership | None:
    """The current partnership of this circle a proposal renews, or None for a new one."""
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Partnership) else value
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    renewed = renewable_partnerships(circle=circle).filter(pk=pk).first() if pk else None
    if renewed is None:
        raise DomainError(
            _("Only a current partnership of this circle can be renewed: choose one, or none.")
        )
    return renewed


def _agreements_touched(circle: Circle, values) -> list[dict]:
    """The circle's agreements the conditions touch, as they are now."""
    pks = {value.pk if isinstance(value, Agreement) else value for value in values or []}
    agreements = list(
        Agreement.objects.filter(circle=circle, status=AgreementStatus.ACTIVE, pk__in=pks)
        .order_by("title", "pk")
        .values("id", "title")
    )
    if len(agreements) != len(pks):
        raise DomainError(_("Choose among the circle's current agreements."))
    return agreements


def funding_change_build(*, circle: Circle, data: dict) -> dict:
    """The terms a proposal to accept funding or a partnership records, JSON-ready."""
    problems = funding_terms_problems(data=data)
    if problems:
        raise DomainError(" ".join(problems.values()))
    renewed = _renewed(circle, data.get("renews"))
    research = data["partnership_kind"] == PartnershipKind.RESEARCH
    after = {
        "kind": data["partnership_kind"],
        "partner": _text(data, "partner"),
        "offered": _text(data, "offered"),
        "asks": _text(data, "asks"),
        "agreements": _agreements_touched(circle, data.get("agreements")),
        "will_not_accept": _text(data, "will_not_accept"),
        "research_returns": _text(data, "research_returns") if research else "",
        "returns_by": data["returns_by"].isoformat() if research else None,
        "ends_on": data["ends_on"].isoformat(),
        "renews": renewed.pk if renewed else None,
    }
    _check_names(circle, after)
    return {"before": {}, "after": after}


PUBLIC_TERMS = ("partner", "offered", "asks", "will_not_accept", "research_returns")


def _check_names(circle: Circle, terms: dict) -> None:
    """The terms show on the circle's home and in its published reports: they name no
    member (a member's own consent belongs to a story, not to a contract)."""
    text = "\n".join(terms[field] for field in PUBLIC_TERMS)
    if named := members_named_in(circle=circle, text=text):
        raise DomainError(
            _(
                "The terms name %(name)s. They show on the circle's home and in its published "
                "reports, so they name no member: say “a member” or describe the role instead."
            )
            % {"name": ", ".join(named)}
        )


def partnership_accept(proposal: Proposal) -> Outcome:
    """A passed proposal accepts the partnership from the day it closed. A renewal ends the
    partnership it renews; if that one lapsed meanwhile, this one starts a new term."""
    after = proposal.change["after"]
    starts_on = day_of(proposal.closed_at)
    ends_on = date.fromisoformat(after["ends_on"])
    if ends_on < starts_on:
        return Outcome(
            False, _("Its end date had passed by the time the circle decided: nothing began.")
        )
    renews, note = None, ""
    if after.get("renews"):
        old = (
            Partnership.objects.select_for_update()
            .filter(pk=after["renews"], circle_id=proposal.circle_id)
            .first()
        )
        if old is not None and old.status == PartnershipStatus.ACTIVE:
            old.status, old.ended_at = PartnershipStatus.RENEWED, proposal.closed_at
            old.save(update_fields=["status", "ended_at"])
            renews = old
        elif old is not None and old.status == PartnershipStatus.LAPSED:
            if not Partnership.objects.filter(renews=old).exists():
                renews = old
            note = _(
                "The partnership it renews had already lapsed after %(date)s, so this "
                "starts a new term."
            ) % {"date": _shown(old.ends_on)}
        else:
            note = _(
                "The partnership it renews had already been renewed by another decision, so "
                "this one is recorded on its own."
            )
    partnership = partnership_from_change(proposal.change)
    partnership.circle_id, partnership.decision = proposal.circle_id, proposal
    partnership.renews, partnership.starts_on = renews, starts_on
    partnership.save()
    return Outcome(True, note)


# --- Beat: reminders and lapses ---------------------------------------------------------


def _tell_members(partnership: Partnership, *, kind: Kind, message: str, url: str) -> None:
    """Every member of the partnership's circle hears it, once whatever the retries."""
    members = Membership.objects.active().filter(circle_id=partnership.circle_id)
    notify(
        recipients=User.objects.filter(pk__in=members.values("user_id")),
        kind=kind,
        message=message,
        params={"partner": partnership.partner, "until": partnership.ends_on.isoformat()},
        url=url,
        circle=partnership.circle,
        once_key=f"{kind}:{partnership.pk}",
    )


def renewal_proposal_url(partnership: Partnership) -> str:
    """The form of a proposal that renews this partnership, its terms filled in."""
    url = reverse("governance:proposal_new", args=[partnership.circle.slug])
    return f"{url}?kind={ProposalKind.ACCEPT_FUNDING}&renews={partnership.pk}"


def partnership_reminders_send(*, now=None) -> int:
    """Once per partnership, within PARTNERSHIP_REMINDER_BEFORE of its end date, tell every
    member that it lapses unless renewed. Returns how many partnerships were reminded of.
    The mark is set by a conditional update, so a retried or parallel run sends nothing twice."""
    now = now or timezone.now()
    today = day_of(now)
    due = (
        Partnership.objects.current()
        .filter(
            ends_on__gte=today,
            ends_on__lte=today + constants.PARTNERSHIP_REMINDER_BEFORE,
            reminded_at__isnull=True,
            renewal__isnull=True,
        )
        .select_related("circle")
        .order_by("ends_on", "pk")
    )
    reminded = 0
    for partnership in due:
        with transaction.atomic():
            claimed = Partnership.objects.filter(
                pk=partnership.pk, status=PartnershipStatus.ACTIVE, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            _tell_members(
                partnership,
                kind=Kind.PARTNERSHIP_ENDING,
                message=gettext_noop(
                    "The partnership with %(partner)s ends on %(until)s. It lapses then "
                    "unless the circle renews it by proposal."
                ),
                url=renewal_proposal_url(partnership),
            )
            reminded += 1
    return reminded


def partnerships_lapse_due(*, now=None) -> int:
    """Every current partnership whose end date has passed lapses, and the members are told
    once. Returns how many lapsed. A renewal that passed first leaves nothing to lapse."""
    now = now or timezone.now()
    today = day_of(now)
    due = (
        Partnership.objects.current()
        .filter(ends_on__lt=today)
        .select_related("circle")
        .order_by("ends_on", "pk")
    )
    lapsed = 0
    for partnership in due:
        with transaction.atomic():
            changed = Partnership.objects.filter(
                pk=partnership.pk, status=PartnershipStatus.ACTIVE
            ).update(status=PartnershipStatus.LAPSED, ended_at=now)
            if not changed:
                continue
            _tell_members(
                partnership,
                kind=Kind.PARTNERSHIP_LAPSED,
                message=gettext_noop(
                    "The partnership with %(partner)s ended on %(until)s and has lapsed: "
                    "the circle did not renew it."
                ),
                url=reverse("legitimacy:partnerships", args=[partnership.circle.slug]),
            )
            lapsed += 1
    return lapsed
