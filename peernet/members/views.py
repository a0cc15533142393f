import contextlib

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from peernet.errors import DomainError
from peernet.exports import json_download
from peernet.members.choices import Topic
from peernet.members.data_rights import AccountGone, account_delete, member_data_export
from peernet.members.forms import (
    AccountDeleteForm,
    LanguageForm,
    NotificationSettingsForm,
    ProfileForm,
)
from peernet.members.selectors import (
    block_made,
    blocks_made_by,
    notification_settings_for,
    profile_for_user,
)
from peernet.members.services import (
    block_remove,
    notification_settings_update,
    notification_unsubscribe,
    profile_update,
    user_set_language,
)
from peernet.members.unsubscribe import unsubscribe_from_token


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
        try:
            profile_update(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
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


@require_http_methods(["GET", "POST"])
@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    current = notification_settings_for(user=request.user)
    form = NotificationSettingsForm(
        request.POST or None, instance=current, initial={"time_zone": request.user.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            notification_settings_update(user=request.user, time_zone=data.pop("time_zone"), **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("members:notification_settings")
    return render(request, "members/notification_settings.html", {"form": form})


@require_safe
@login_required
def blocked_members(request: HttpRequest) -> HttpResponse:
    """The people I blocked, each with an Unblock button. Never who blocked me."""
    return render(request, "members/blocked.html", {"blocks": blocks_made_by(user=request.user)})


@require_POST
@login_required
def unblock(request: HttpRequest, user_pk: int) -> HttpResponse:
    block = block_made(blocker=request.user, blocked_id=user_pk)
    if block is None:
        # Already unblocked (another tab), or never blocked: nothing to do.
        messages.info(request, _("That member is not blocked."))
    else:
        block_remove(blocker=request.user, blocked=block.blocked)
        messages.success(
            request,
            _("You unblocked %(name)s.") % {"name": block.blocked.display_name},
        )
    return redirect("members:blocked")


@csrf_exempt  # the signed token is the credential; mail clients POST here with no session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (RFC 8058): a GET shows a button, a POST turns the email off."""
    request_ = unsubscribe_from_token(token)
    if request_ is None:
        return render(request, "members/unsubscribe_invalid.html", status=400)
    done = request.method == "POST"
    if done:
        notification_unsubscribe(user=request_.user, topic=request_.topic)
    context = {"topic": request_.topic, "topic_label": _topic_label(request_.topic), "done": done}
    return render(request, "members/unsubscribe.html", context)


def _topic_label(topic: str | None) -> str:
    return Topic(topic).label if topic else _("all email from Peernet")


@require_safe
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "members/my_data.html")


@require_safe
@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    """Always the signed-in member's own data: nothing here names another account."""
    filename = f"peernet-my-data-{timezone.localdate():%Y-%m-%d}.json"
    return json_download(member_data_export(user=request.user), filename=filename)


@require_http_methods(["GET", "POST"])
@login_required
def account_delete_confirm(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # A second click from another tab finds the account gone: the outcome is the same.
        with contextlib.suppress(AccountGone):
            account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for being part of this."))
        return redirect("home")
    return render(request, "members/account_delete.html", {"form": form})
