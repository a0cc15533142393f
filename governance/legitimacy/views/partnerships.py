from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from circles.access import circle_view
from governance.legitimacy.selectors.partnerships import partnerships_current_and_past


@require_safe
@circle_view(members_only=True)
def partnerships(request, circle, membership) -> HttpResponse:
    context = {
        "circle": circle,
        "membership": membership,
        **partnerships_current_and_past(circle=circle),
    }
    return render(request, "legitimacy/partnerships.html", context)
