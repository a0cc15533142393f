"""Network views: asking a question, and a question's page."""

from http import HTTPStatus

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from governance.networks.access import network_view
from governance.networks.forms.questions import AskQuestionForm
from governance.networks.models import NetworkQuestion
from governance.networks.selectors import networks as selectors
from governance.networks.selectors import questions as question_selectors
from governance.networks.services.questions import question_ask
from peernet.errors import DomainError
from peernet.limits import refusal_status
from peernet.submissions import create_once, with_submission_key


@require_http_methods(["GET", "POST"])
@network_view(members_only=True)
def ask(request, viewer) -> HttpResponse:
    network = viewer.network
    circles = list(selectors.asking_circles(circle_ids=viewer.member_circle_ids))
    form = AskQuestionForm(
        request.POST or None,
        network=network,
        circles=circles,
        initial=with_submission_key(request),
    )
    status = HTTPStatus.OK
    if request.method == "POST" and not form.is_valid():
        status = HTTPStatus.BAD_REQUEST
    elif request.method == "POST":
        data = form.cleaned_data
        circle = next(c for c in circles if c.pk == data["circle"])
        try:
            question = create_once(
                request=request,
                form=form,
                model=NetworkQuestion,
                create=lambda: question_ask(
                    network=network,
                    circle=circle,
                    asker=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    reason=data["reason"],
                    data=form.change_data(),
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = refusal_status(error, otherwise=HTTPStatus.BAD_REQUEST)
        else:
            messages.success(
                request,
                _(
                    "Your question is open: every circle of the network decides it by its own "
                    "proposal, and each circle's outcome is its one vote."
                ),
            )
            return redirect("networks:question", slug=network.slug, pk=question.pk)
    context = {"network": network, "form": form}
    return render(request, "networks/ask.html", context, status=status)


@require_safe
@network_view()
def question_page(request, viewer, pk: int) -> HttpResponse:
    shown = question_selectors.question_for_viewer(viewer=viewer, pk=pk)
    context = {
        "network": viewer.network,
        "viewer": viewer,
        "shown": shown,
        "question": shown.question,
        "method_text": question_selectors.method_explained(shown.question.method),
    }
    return render(request, "networks/question.html", context)
