from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from peernet.http import local_url
from peernet.notify import constants
from peernet.notify.forms import MarkReadForm
from peernet.notify.selectors import notifications_for
from peernet.notify.services import notifications_mark_read


@require_safe
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(user=request.user), constants.NOTIFICATIONS_PAGE_SIZE)
    return render(request, "notify/list.html", {"page": page.get_page(request.GET.get("page"))})


@require_POST
@login_required
def mark_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification read (and follow its link), or all of them."""
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That notification could not be found."))
        return redirect("notify:list")
    pk = form.cleaned_data["id"]
    notifications_mark_read(user=request.user, ids=None if pk is None else [pk])
    return redirect(local_url(request, form.cleaned_data["next"]) or "notify:list")
