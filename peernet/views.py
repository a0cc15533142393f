from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from circles.forms import DirectoryForm
from circles.selectors import circles_of_user


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The landing page; for a member, their circles, or first steps when they have none."""
    context = {}
    if request.user.is_authenticated:
        context["my_circles"] = list(circles_of_user(user=request.user))
        context["search"] = DirectoryForm()
    return render(request, "home.html", context)
