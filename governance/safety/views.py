from http import HTTPStatus

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from circles.access import circle_view
from circles.services import membership_update_care_rota
from governance.safety import selectors, services
from governance.safety.forms import HandleForm, ReportForm, ReportMessageForm, WillingForm
from governance.safety.models import Reason, RotaSeat, Target
from peernet.errors import DomainError
from peernet.limits import refusal_status


@require_safe
@circle_view(members_only=True)
def care(request, circle, membership) -> HttpResponse:
    context = {
        "circle": circle,
        "rota": selectors.current_rota(circle=circle),
        "history": selectors.rota_history(circle=circle),
        "my_turns": selectors.my_turns(circle=circle, user=request.user),
        "to_handle": selectors.reports_to_handle(circle=circle, user=request.user),
        "my_reports": selectors.reports_by(circle=circle, user=request.user),
        "counts": selectors.care_counts(circle),
        "willing_form": WillingForm(initial={"willing": membership.care_rota_willing}),
    }
    return render(request, "safety/care.html", context)


@require_POST
@circle_view(members_only=True)
def care_willing(request, circle, membership) -> HttpResponse:
    form = WillingForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    willing = form.cleaned_data.get("willing", False)
    membership_update_care_rota(membership=membership, willing=willing)
    if willing:
        messages.success(request, _("Thank you. You will be drawn first for the care rota."))
    else:
        messages.success(request, _("Saved. You will be drawn only if too few are willing."))
    return redirect("safety:care", slug=circle.slug)


@require_POST
@circle_view(members_only=True)
def rota_decline(request, circle, membership, pk: int) -> HttpResponse:
    seat = get_object_or_404(RotaSeat, circle=circle, member=request.user, pk=pk)
    try:
        services.rota_decline(seat=seat, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You declined this turn. Someone else was drawn."))
    return redirect("safety:care", slug=circle.slug)


@require_http_methods(["GET", "POST"])
@circle_view(hidden=True)
def report_new(request, circle, membership, target: str, pk: int) -> HttpResponse:
    if target not in Target.values:
        raise Http404
    item = selectors.reportable_item(circle=circle, viewer=request.user, target=target, pk=pk)
    author = selectors.author_name(
        reported=item.reported, viewer=request.user, post=item.post, message=item.message
    )
    blockable = selectors.may_block(item)
    form = ReportForm(
        request.POST or None,
        share=target == Target.MESSAGE,
        block_name=author if blockable else None,
    )
    status = HTTPStatus.OK
    if request.method == "POST" and not form.is_valid():
        status = HTTPStatus.BAD_REQUEST
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            report, created = services.report_create(
                circle=circle,
                reporter=request.user,
                item=item,
                reason=data["reason"],
                words=data["words"],
                share_conversation=data.get("share_conversation", False),
                block=data.get("block", False),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = refusal_status(error, otherwise=HTTPStatus.BAD_REQUEST)
        else:
            if not created:
                messages.info(request, _("You already reported this. The care rota has it."))
            elif report.reason == Reason.DANGER:
                messages.success(
                    request,
                    _("The care rota was told at once. Here is what the circle agreed to do."),
                )
            else:
                messages.success(request, _("Thank you. The care rota will look at it."))
            return redirect("safety:report_detail", slug=circle.slug, pk=report.pk)
    context = {"circle": circle, "form": form, "item": item, "author": author}
    return render(request, "safety/report_form.html", context, status=status)


def _report_page(request, circle, report, handlers: set[int], **forms) -> HttpResponse:
    handles = request.user.pk in handlers
    context = {
        "circle": circle,
        "report": report,
        "handles": handles,
        "is_reporter": report.reporter_id == request.user.pk,
        "author": selectors.author_name(
            reported=report.reported, viewer=request.user, post=report.post, message=report.message
        ),
        "conversation": selectors.conversation_shared(report=report) if handles else None,
        "thread": report.messages.select_related("sender"),
        "write_form": forms.get("write_form") or ReportMessageForm(),
        "handle_form": forms.get("handle_form") or HandleForm(),
        "danger": report.reason == Reason.DANGER,
        # A circle of two: nobody but the two people it concerns could take it.
        "no_handler": not handlers,
        "offer_remove_member": handles and selectors.may_name_member(report=report),
    }
    return render(request, "safety/report.html", context, status=forms.get("status", HTTPStatus.OK))


@require_safe
@circle_view(hidden=True)
def report_detail(request, circle, membership, pk: int) -> HttpResponse:
    report, handlers = selectors.report_for_viewer(circle=circle, user=request.user, pk=pk)
    return _report_page(request, circle, report, handlers)


def _on_report(request, circle, pk: int, form_name: str, form_class, act, success: str):
    """A form on a report's page: act on a valid one, or show the page again with it."""
    report, handlers = selectors.report_for_viewer(circle=circle, user=request.user, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(report, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect("safety:report_detail", slug=circle.slug, pk=report.pk)
    forms = {form_name: form, "status": HTTPStatus.BAD_REQUEST}
    return _report_page(request, circle, report, handlers, **forms)


@require_POST
@circle_view(hidden=True)
def report_write(request, circle, membership, pk: int) -> HttpResponse:
    return _on_report(
        request,
        circle,
        pk,
        "write_form",
        ReportMessageForm,
        lambda report, data: services.report_message_send(
            report=report, sender=request.user, text=data["text"]
        ),
        _("Sent."),
    )


@require_POST
@circle_view(hidden=True)
def report_handled(request, circle, membership, pk: int) -> HttpResponse:
    return _on_report(
        request,
        circle,
        pk,
        "handle_form",
        HandleForm,
        lambda report, data: services.report_handle(
            report=report, member=request.user, note=data["note"]
        ),
        _("Marked handled. The member who reported is told."),
    )
