from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from circles.access import circle_view
from governance import constants, selectors, services
from governance.diff import amendment_diffs
from governance.effects import byline, change_rows, change_template, threshold_floor
from governance.forms import FORMS, BallotForm, CommentForm, change_data, proposal_kinds
from governance.models import Comment, Method, Proposal, ProposalKind, ProposalStatus
from governance.record import circle_record
from peernet.errors import DomainError
from peernet.exports import download, json_download
from peernet.http import render_page_or_fragment, wants_fragment
from peernet.submissions import create_once, with_submission_key


@require_safe
@circle_view(members_only=True)
def agreements(request, circle, membership) -> HttpResponse:
    context = {
        "circle": circle,
        "agreements": selectors.agreements_of(circle=circle, include_repealed=True),
    }
    return render(request, "governance/agreements.html", context)


@require_safe
@circle_view(members_only=True)
def agreement_detail(request, circle, membership, pk: int) -> HttpResponse:
    agreement = selectors.agreement_in_circle(circle=circle, pk=pk)
    context = {
        "circle": circle,
        "agreement": agreement,
        "versions": selectors.agreement_history(agreement=agreement),
    }
    return render(request, "governance/agreement.html", context)


@require_safe
@circle_view(members_only=True)
def proposals(request, circle, membership) -> HttpResponse:
    context = {
        "circle": circle,
        "proposals": selectors.proposals_in_progress_with_standing(circle=circle),
        "kinds": proposal_kinds(),
    }
    return render(request, "governance/proposals.html", context)


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def proposal_new(request, circle, membership) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in FORMS:
        context = {"circle": circle, "kinds": proposal_kinds()}
        return render(request, "governance/proposal_kinds.html", context)
    if _agreement_to_choose(request, circle, kind):
        context = {"circle": circle, "agreements": selectors.agreements_of(circle=circle)}
        return render(request, "governance/proposal_agreement_choice.html", context)
    form_class = FORMS[kind]
    form = form_class(
        request.POST or None,
        circle=circle,
        proposer=request.user,
        # A link may prefill the change (never the one-time key, which is always fresh).
        initial=with_submission_key(request, **request.GET.dict()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = create_once(
                request=request,
                form=form,
                model=Proposal,
                create=lambda: services.proposal_create(
                    circle=circle,
                    proposer=request.user,
                    kind=kind,
                    title=data["title"],
                    reason=data["reason"],
                    data=change_data(data),
                    open_now=data["open_now"],
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if proposal.status == ProposalStatus.OPEN:
                messages.success(request, _("Your proposal is open for votes."))
            else:
                messages.success(request, _("Your proposal is saved as a draft."))
            return redirect("governance:proposal", slug=circle.slug, pk=proposal.pk)
    context = {
        "circle": circle,
        "form": form,
        "kind": kind,
        "kind_label": ProposalKind(kind).label,
        "threshold_floor": threshold_floor(kind),
    }
    return render(request, "governance/proposal_form.html", context)


def _agreement_to_choose(request, circle, kind: str) -> bool:
    """An amendment starts from one agreement's text: with several, ask which first."""
    return (
        kind == ProposalKind.AMEND_AGREEMENT
        and request.method == "GET"
        and not request.GET.get("agreement")
        and selectors.agreements_of(circle=circle)[:2].count() > 1
    )


def _proposal_context(request, circle, proposal, ballot_form=None) -> dict:
    can_vote = proposal.status == ProposalStatus.OPEN and selectors.can_vote(
        proposal=proposal, user=request.user
    )
    my_ballot = selectors.ballot_of(proposal=proposal, user=request.user)
    show_choices = not proposal.is_secret
    standing = selectors.proposal_standing(proposal=proposal)
    diffs = amendment_diffs(proposal)
    template = change_template(proposal)
    return {
        "circle": circle,
        "proposal": proposal,
        "rows": [] if diffs or template else change_rows(proposal),
        "change_template": template,
        "byline": byline(proposal),
        "diffs": diffs,
        "standing": standing,
        "can_vote": can_vote,
        "my_ballot": my_ballot,
        "ballot_form": ballot_form
        or BallotForm(
            consensus=proposal.method == Method.CONSENSUS,
            initial={"choice": my_ballot.choice if my_ballot else None},
        ),
        "ballots": selectors.visible_ballots(proposal=proposal) if show_choices else None,
        "voted": selectors.voters_who_voted(proposal=proposal) if not show_choices else None,
        "comments": proposal.comments.select_related("author"),
        "comment_form": CommentForm(initial=with_submission_key(request)),
    }


@require_safe
@circle_view(members_only=True)
def proposal_detail(request, circle, membership, pk: int) -> HttpResponse:
    proposal = selectors.proposal_in_circle(circle=circle, pk=pk)
    return render(request, "governance/proposal.html", _proposal_context(request, circle, proposal))


@require_POST
@circle_view(members_only=True)
def proposal_vote(request, circle, membership, pk: int) -> HttpResponse:
    proposal = selectors.proposal_in_circle(circle=circle, pk=pk)
    form = BallotForm(request.POST, consensus=proposal.method == Method.CONSENSUS)
    if form.is_valid():
        try:
            services.ballot_cast(
                proposal=proposal,
                voter=request.user,
                choice=form.cleaned_data["choice"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            proposal.refresh_from_db()
            if proposal.is_closed:
                messages.success(request, _("Everyone has voted, so the proposal is decided."))
            else:
                messages.success(
                    request, _("Your vote is recorded. You can change it until the vote closes.")
                )
            form = None
    if form is None and not wants_fragment(request):
        return redirect("governance:proposal", slug=circle.slug, pk=proposal.pk)
    status = 200 if form is None else 400
    context = _proposal_context(request, circle, proposal, ballot_form=form)
    # htmx swaps the votes and, out of band, the status under the title and the message's
    # live region (and, once closed, the proposer's actions and the comment form): a last
    # ballot changes the header and the result at once, and says so.
    context["fragment"] = wants_fragment(request)
    return render_page_or_fragment(
        request, "governance/proposal.html", "vote_response", context, status=status
    )


@require_POST
@circle_view(members_only=True)
def proposal_open(request, circle, membership, pk: int) -> HttpResponse:
    proposal = selectors.proposal_in_circle(circle=circle, pk=pk)
    try:
        services.proposal_open(proposal=proposal, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your proposal is open for votes."))
    return redirect("governance:proposal", slug=circle.slug, pk=pk)


@require_POST
@circle_view(members_only=True)
def proposal_withdraw(request, circle, membership, pk: int) -> HttpResponse:
    proposal = selectors.proposal_in_circle(circle=circle, pk=pk)
    try:
        services.proposal_withdraw(proposal=proposal, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The proposal is withdrawn."))
    return redirect("governance:proposal", slug=circle.slug, pk=pk)


@require_POST
@circle_view(members_only=True)
def proposal_comment(request, circle, membership, pk: int) -> HttpResponse:
    proposal = selectors.proposal_in_circle(circle=circle, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            create_once(
                request=request,
                form=form,
                model=Comment,
                create=lambda: services.comment_add(
                    proposal=proposal, author=request.user, text=form.cleaned_data["text"]
                ),
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("governance:proposal", slug=circle.slug, pk=pk)
    context = _proposal_context(request, circle, proposal)
    context["comment_form"] = form
    return render(request, "governance/proposal.html", context, status=400)


@require_safe
@circle_view(members_only=True)
def decisions(request, circle, membership) -> HttpResponse:
    page = Paginator(
        selectors.decision_log(circle=circle), constants.DECISION_LOG_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "governance/decisions.html", {"circle": circle, "page": page})


def _record_filename(circle, extension: str) -> str:
    return f"{circle.slug}-record-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_safe
@circle_view(hidden=True)
def record_json(request, circle, membership) -> HttpResponse:
    return json_download(circle_record(circle=circle), filename=_record_filename(circle, "json"))


@require_safe
@circle_view(hidden=True)
def record_markdown(request, circle, membership) -> HttpResponse:
    content = render_to_string(
        "governance/record.md", {"record": circle_record(circle=circle)}, request=request
    )
    return download(
        content,
        content_type="text/markdown; charset=utf-8",
        filename=_record_filename(circle, "md"),
    )
