"""Founding steps: what a person starting a circle may adopt at once, before anyone else
joins (the crisis plan, starter agreements ...). Each is offered on the "Start a circle" form
as a checkbox with an editable text, and applied inside the transaction that creates the
circle.

Circles owns the registry and its own step (the crisis plan); apps above it register theirs
in their AppConfig.ready() (governance adds the starter agreements), so circles never
imports upward.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from circles import constants
from circles.crisis_plan import crisis_plan_template


@dataclass(frozen=True)
class FoundingStep:
    key: str  # a slug, unique: it names the form fields
    order: int  # where it is offered, smallest first
    title: str  # what it is called (lazy: shown in the current language)
    help_text: str  # one line: what adopting it means (lazy)
    initial: Callable[[], str]  # the text offered, in the current language
    max_length: int
    # Applies the adopted text: (circle, founder, text). Runs inside circle_create's
    # transaction, after the founder's membership exists.
    apply: Callable[..., object]


_steps: dict[str, FoundingStep] = {}


def register_founding_step(step: FoundingStep) -> None:
    _steps[step.key] = step


def founding_steps() -> list[FoundingStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.key))


def founding_apply(*, circle, founder, adopted: dict[str, str]) -> None:
    """Apply what the founder adopted: {step key: text}. Steps left out are not applied."""
    unknown = set(adopted) - set(_steps)
    if unknown:
        raise ValueError(f"unknown founding steps: {sorted(unknown)}")
    for step in founding_steps():
        if step.key in adopted:
            step.apply(circle=circle, founder=founder, text=adopted[step.key])


def _adopt_crisis_plan(*, circle, founder, text: str) -> None:
    from circles.services.groups import circle_crisis_plan_set  # services import this module

    circle_crisis_plan_set(circle=circle, text=text)


# Every circle has a crisis plan: left out, it starts from the template, to rewrite together.
CRISIS_PLAN = FoundingStep(
    key="crisis_plan",
    order=40,
    title=_("Our crisis plan"),
    help_text=_(
        "What the circle does when someone may be in danger. Untick it to start from the "
        "template as it is, and write it together later."
    ),
    initial=lambda: crisis_plan_template(language=get_language() or settings.LANGUAGE_CODE),
    max_length=constants.CRISIS_PLAN_MAX_LENGTH,
    apply=_adopt_crisis_plan,
)
register_founding_step(CRISIS_PLAN)
