from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from peernet.notify import constants
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
    pk = request.POST.get("id", "")
    notifications_mark_read(user=request.user, ids=[int(pk)] if pk.isdigit() else None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notify:list"
    return redirect(target)
