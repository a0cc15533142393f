from datetime import date
from http import HTTPStatus

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from circles.access import circle_view
from governance.legitimacy import constants
from governance.legitimacy.days import day_of
from governance.legitimacy.forms.measures import ImpactPeriodForm
from governance.legitimacy.forms.period import last_twelve_months
from governance.legitimacy.selectors.measures import counted_measures, impact_measures

PERIOD_FIELDS = ("period_start", "period_end")


def _last_twelve_months(today: date) -> dict[str, str]:
    start, end = last_twelve_months(today)
    return {"period_start": start.isoformat(), "period_end": end.isoformat()}


@require_safe
@circle_view(members_only=True)
def impact(request, circle, membership) -> HttpResponse:
    chosen = any(name in request.GET for name in PERIOD_FIELDS)
    form = ImpactPeriodForm(request.GET if chosen else _last_twelve_months(day_of()))
    keys = counted_measures(circle=circle)
    measures, status = None, HTTPStatus.OK
    if not form.is_valid():
        status = HTTPStatus.BAD_REQUEST
    elif keys:
        measures = impact_measures(
            circle=circle,
            start=form.cleaned_data["period_start"],
            end=form.cleaned_data["period_end"],
            keys=keys,
        )
    context = {
        "circle": circle,
        "form": form,
        "counted": keys,
        "measures": measures,
        "floor": constants.SMALL_NUMBER_FLOOR,
    }
    return render(request, "legitimacy/impact.html", context, status=status)
