"""Publishing a report: a proposal records exactly what would be published, and when it
passes the report is published, once and for good.

The figures, stories and partnerships are taken when the proposal is made, so members vote
on the very numbers that will be shown. At publication a story withdrawn meanwhile, or one
whose named people no longer all consent, is left out. The published document is canonical
JSON (sorted keys, no spaces, UTF-8) stored byte for byte; its SHA-256 is stated with it, so
anyone can check that a copy is unaltered. A correction is a new report that names the one
it replaces; nothing published is ever edited.
"""

import hashlib
import json
import secrets

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from circles.models import Circle
from governance.effects import Outcome
from governance.legitimacy import constants
from governance.legitimacy.days import day_of
from governance.legitimacy.forms.period import period_problem
from governance.legitimacy.models import PublishedReport
from governance.legitimacy.naming import members_named_in
from governance.legitimacy.selectors.measures import counted_measures, impact_measures
from governance.legitimacy.selectors.partnerships import partnerships_for_report
from governance.legitimacy.selectors.stories import stories_usable, story_for_report
from governance.legitimacy.services.stories import (
    stories_lock_usable,
    stories_mark_published,
    story_names_problem,
)
from governance.legitimacy.templatetags.legitimacy_tags import measure_label, part_label
from governance.models import Proposal
from peernet.errors import DomainError

DOCUMENT_FORMAT = "peernet-report/1"


def canonical_json(document: dict) -> str:
    """The one serialisation of a report: what is stored, served and hashed."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_own_words(circle: Circle, *, introduction: str, known_as: str) -> None:
    """The circle's own words in a report name no member: only a story, with consent, does."""
    if named := members_named_in(circle=circle, text=f"{known_as}\n{introduction}"):
        raise DomainError(
            _(
                "The introduction or the name names %(name)s. A report names nobody who has "
                "not chosen to be named: leave the name out, or tell it as a story they "
                "consent to."
            )
            % {"name": ", ".join(named)}
        )


def _check_stories(circle: Circle, stories: list) -> None:
    usable = {
        story.pk: story
        for story in stories_usable(circle=circle)
        .filter(pk__in=[s.pk for s in stories])
        .select_related("author", "circle")
        .prefetch_related("mentions")
    }
    for story in stories:
        if story.pk not in usable:
            raise DomainError(
                _("“%(title)s” cannot go in a report: everyone it names must consent first.")
                % {"title": story.title}
            )
        if problem := story_names_problem(usable[story.pk]):
            raise DomainError(
                _("“%(title)s” cannot go in a report as it is: %(problem)s")
                % {"title": story.title, "problem": problem}
            )


def _replaced(circle: Circle, replaces: PublishedReport | None) -> PublishedReport | None:
    if replaces is None:
        return None
    if replaces.circle_id != circle.pk:
        raise DomainError(_("A report can only correct one of this circle's own reports."))
    if replaces.corrections.exists():
        raise DomainError(
            _("That report has already been corrected: correct the latest one instead.")
        )
    return replaces


def report_change_build(*, circle: Circle, data: dict) -> dict:
    """What a "publish a report" proposal records: the whole report as it would be published,
    figures included. Raises a DomainError a member can act on."""
    start, end = data["period_start"], data["period_end"]
    if problem := period_problem(start=start, end=end):
        raise DomainError(problem)
    counted = counted_measures(circle=circle)
    keys = [key for key in counted if key in set(data.get("measures") or [])]
    if not keys:
        raise DomainError(_("Choose at least one of the measures the circle counts."))
    introduction = data.get("introduction", "").strip()
    _check_own_words(circle, introduction=introduction, known_as=data["known_as"])
    stories = list(data.get("stories") or [])
    _check_stories(circle, stories)
    replaces = _replaced(circle, data.get("replaces"))
    return {
        "before": {},
        "after": {},
        "report": {
            "known_as": data["known_as"].strip(),
            "language": circle.language,
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "introduction": introduction,
            "measures": impact_measures(circle=circle, start=start, end=end, keys=keys),
            "stories": [story_for_report(story) for story in stories],
            "partnerships": partnerships_for_report(circle=circle, start=start, end=end),
            "replaces": replaces.public_id if replaces else None,
        },
    }


def _labelled(measures: dict, language: str) -> dict:
    """The figures with their names in the circle's language, for a reader of the JSON."""
    with translation.override(language):
        figures = []
        for figure in measures["figures"]:
            labelled = {**figure, "label": str(measure_label(figure["measure"]))}
            if "parts" in figure:
                labelled["parts"] = [
                    {**part, "label": str(part_label(part, figure["measure"]))}
                    for part in figure["parts"]
                ]
            figures.append(labelled)
    return {**measures, "figures": figures}


def _document(proposal: Proposal, report: dict, stories: list[dict], public_id: str) -> dict:
    return {
        "format": DOCUMENT_FORMAT,
        "id": public_id,
        "circle": report["known_as"],
        "language": report["language"],
        "period": report["period"],
        "introduction": report["introduction"],
        "measures": _labelled(report["measures"], report["language"]),
        "stories": [{k: v for k, v in story.items() if k != "id"} for story in stories],
        "partnerships": report["partnerships"],
        "approval": {
            "yes": proposal.yes_count,
            "no": proposal.no_count,
            "abstain": proposal.abstain_count,
            "members": proposal.electorate_size,
            "date": day_of(proposal.closed_at).isoformat(),
            "decision": proposal.pk,
        },
        "replaces": report["replaces"],
        "small_number_floor": constants.SMALL_NUMBER_FLOOR,
    }


def report_publish(proposal: Proposal) -> Outcome:
    """Publish a passed proposal's report. Runs inside the closing transaction, with the
    tally already on the proposal."""
    report = proposal.change["report"]
    replaces = None
    if report["replaces"]:
        replaces = (
            PublishedReport.objects.select_for_update()
            .filter(circle_id=proposal.circle_id, public_id=report["replaces"])
            .first()
        )
        if replaces is None or replaces.corrections.exists():
            return Outcome(False, _("The report it corrects had been corrected meanwhile."))
    wanted = [story["id"] for story in report["stories"]]
    # Locked until the report is in: a withdrawal or a refusal waits, then finds it published.
    still_usable = {
        story.pk
        for story in stories_lock_usable(circle=proposal.circle, story_ids=wanted)
        if story_names_problem(story) is None
    }
    stories = [story for story in report["stories"] if story["id"] in still_usable]
    public_id = secrets.token_urlsafe(constants.REPORT_PUBLIC_ID_BYTES)
    document = canonical_json(_document(proposal, report, stories, public_id))
    with transaction.atomic():
        published = PublishedReport.objects.create(
            circle_id=proposal.circle_id,
            decision=proposal,
            public_id=public_id,
            known_as=report["known_as"],
            period_start=report["period"]["start"],
            period_end=report["period"]["end"],
            replaces=replaces,
            published_at=proposal.closed_at,
            document=document,
            sha256=sha256_of(document),
        )
        stories_mark_published(story_ids=[s["id"] for s in stories], report=published)
    left_out = len(wanted) - len(stories)
    if left_out:
        return Outcome(
            True,
            ngettext(
                "Published without %(n)d story: it was withdrawn, or someone it names no "
                "longer consents or has left the circle.",
                "Published without %(n)d stories: they were withdrawn, or someone they name "
                "no longer consents or has left the circle.",
                left_out,
            )
            % {"n": left_out},
        )
    return Outcome(True)
