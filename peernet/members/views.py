from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from peernet.members.forms import LanguageForm, ProfileForm
from peernet.members.selectors import profile_for_user
from peernet.members.services import profile_update, user_set_language


@require_safe
@login_required
def account(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=request.user)
    return render(request, "members/account.html", {"profile": profile})


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_for_user(user=request.user)
    form = ProfileForm(
        request.POST or None,
        instance=profile,
        initial={"display_name": request.user.display_name},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        profile_update(user=request.user, **data)
        messages.success(request, _("Your profile is saved."))
        return redirect("members:account")
    return render(request, "members/profile_form.html", {"form": form})


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the member's language for emails remembered too."""
    response = set_language(request)
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        user_set_language(user=request.user, language=form.cleaned_data["language"])
    return response
