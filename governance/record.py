"""A circle's own record, for its members to keep or to take elsewhere: its settings,
agreements with every version, decision log with tallies, and the posts members can see.

Private conversations are not part of it, and anonymous needs stay anonymous.
"""

from collections.abc import Callable

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from circles.models import Circle, Post
from circles.selectors import post_author_name, post_export_fields
from governance.effects import byline, change_rows
from governance.models import Agreement, AgreementVersion, Proposal
from governance.selectors import decision_settings_for
from peernet.exports import iso

RECORD_FORMAT_VERSION = 1
CIRCLE_FIELDS = ["name", "slug", "purpose", "topics", "area", "language", "visibility"]
SETTINGS_FIELDS = [
    "voting_days",
    "quorum_percent",
    "threshold",
    "method",
    "ballots",
    "funding_rule",
]
TALLY_FIELDS = [
    "electorate_size",
    "ballots_cast",
    "yes_count",
    "no_count",
    "abstain_count",
    "block_count",
    "quorum_met",
    "threshold_met",
    "effect_applied",
    "effect_note",
]


# Sections that apps above governance add to the record (safety's counts of reports),
# registered in their AppConfig.ready(): circle -> JSON-ready data, never names.
_sections: dict[str, Callable[[Circle], dict]] = {}


def register_record_section(name: str, build: Callable[[Circle], dict]) -> None:
    _sections[name] = build


def _person(user) -> str:
    return user.display_name if user else _("former member")


def _agreements(circle: Circle) -> list[dict]:
    versions = AgreementVersion.objects.select_related("decision").order_by("number")
    agreements = Agreement.objects.filter(circle=circle).prefetch_related(
        Prefetch("versions", queryset=versions)
    )
    return [
        {
            "title": a.title,
            "text": a.text,
            "status": a.status,
            "versions": [
                {
                    "number": v.number,
                    "title": v.title,
                    "text": v.text,
                    "repealed": v.repealed,
                    "made": iso(v.created_at),
                    "decision": v.decision.title,
                    "decision_id": v.decision_id,
                }
                for v in a.versions.all()
            ],
        }
        for a in agreements.order_by("title", "pk")
    ]


def _decisions(circle: Circle) -> list[dict]:
    closed = Proposal.objects.closed().filter(circle=circle).select_related("proposer")
    return [
        {
            "id": p.pk,
            "title": p.title,
            "kind": p.kind,
            "kind_label": p.get_kind_display(),
            "reason": p.reason,
            # A network's question has no proposer: who asked it, as its page says.
            "proposed_by": byline(p) or _person(p.proposer),
            "opened": iso(p.opened_at),
            "closed": iso(p.closed_at),
            "outcome": p.status,
            "outcome_label": p.get_status_display(),
            "rules": {
                "quorum_percent": p.quorum_percent,
                "threshold": p.threshold,
                "method": p.method,
                "ballots": p.ballots,
            },
            "tally": {field: getattr(p, field) for field in TALLY_FIELDS},
            "change": [
                {"what": str(row.label), "before": str(row.before), "after": str(row.after)}
                for row in change_rows(p)
            ],
        }
        for p in closed.order_by("closed_at", "pk")
    ]


def _posts(circle: Circle) -> list[dict]:
    posts = Post.objects.visible().in_circle(circle).select_related("author")
    return [
        {
            **post_export_fields(p),
            "by": post_author_name(p),
            "labels": {
                "kind": p.get_kind_display(),
                "category": p.get_category_display(),
                "status": p.get_status_display(),
            },
        }
        for p in posts.order_by("created_at", "pk")
    ]


def circle_record(*, circle: Circle) -> dict:
    decision_settings = decision_settings_for(circle=circle)
    return {
        "format": "peernet-circle-record",
        "version": RECORD_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "circle": {
            **{field: getattr(circle, field) for field in CIRCLE_FIELDS},
            "join_policy": circle.join_policy,
            "approvals_needed": circle.approvals_needed,
            "created": iso(circle.created_at),
        },
        "decision_settings": {f: getattr(decision_settings, f) for f in SETTINGS_FIELDS},
        "agreements": _agreements(circle),
        "decisions": _decisions(circle),
        "posts": _posts(circle),
        **{name: build(circle) for name, build in sorted(_sections.items())},
    }
