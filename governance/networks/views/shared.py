"""Network views: the board, sharing a post, a shared post, responding and the conversation."""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from circles import selectors as circle_selectors
from circles.access import circle_view
from circles.forms import MessageForm, board_link_query
from circles.lifecycle import post_actions
from circles.models import Response
from circles.services import conversation_is_open
from circles.views import block_confirm, board_filters, conversation_message
from governance.networks.access import network_view
from governance.networks.forms.sharing import SHARE, ShareForm
from governance.networks.selectors import board as selectors
from governance.networks.services import sharing
from peernet.errors import DomainError
from peernet.http import render_page_or_fragment
from peernet.limits import refusal_status
from peernet.notify.services import notifications_mark_read
from peernet.submissions import create_once, with_submission_key


@require_safe
@network_view(members_only=True)
def board(request, viewer):
    form, filters = board_filters(request)
    page = selectors.network_board_page(
        network=viewer.network,
        viewer=request.user,
        viewer_circle_ids=viewer.circle_ids,
        filters=filters,
        page_number=circle_selectors.board_page_number(request.GET.get("page")),
    )
    context = {
        "network": viewer.network,
        "form": form,
        "page": page,
        "query": board_link_query(filters),
    }
    return render_page_or_fragment(request, "networks/board.html", "posts", context)


@require_POST
@circle_view(members_only=True)
def share(request, circle, membership, pk: int) -> HttpResponse:
    post = circle_selectors.post_in_circle(circle=circle, pk=pk, viewer=request.user)
    back = redirect("circles:post", slug=circle.slug, pk=post.pk)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a network."))
        return back
    network = selectors.network_seen_by(pk=form.cleaned_data["network"], user=request.user)
    try:
        if form.cleaned_data["action"] == SHARE:
            sharing.post_share(post=post, author=request.user, network=network)
            done = _("Shared with %(network)s: members of its circles can see it and respond.")
        else:
            sharing.post_unshare(post=post, author=request.user, network=network)
            done = _("No longer shared with %(network)s.")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"network": network.name})
    return back


@require_safe
@login_required
def shared_post(request, pk: int) -> HttpResponse:
    seen = selectors.shared_post_for_viewer(pk=pk, viewer=request.user)
    return _shared_post_page(request, seen)


def _shared_post_page(
    request, seen, *, form: MessageForm | None = None, status: int = HTTPStatus.OK
) -> HttpResponse:
    post = seen.post
    is_author = post.author_id == request.user.pk
    my_response = None if is_author else circle_selectors.response_of(post=post, user=request.user)
    context = {
        "post": post,
        "label": seen.label,
        "in_circle": seen.in_circle,
        "is_author": is_author,
        "my_response": my_response,
        "can_respond": post_actions(
            post=post, viewer=request.user, responded=my_response is not None
        ).respond,
        "form": form or MessageForm(initial=with_submission_key(request)),
    }
    return render(request, "networks/shared_post.html", context, status=status)


@require_POST
@login_required
def respond(request, pk: int) -> HttpResponse:
    seen = selectors.shared_post_for_viewer(pk=pk, viewer=request.user)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _shared_post_page(request, seen, form=form, status=HTTPStatus.BAD_REQUEST)
    try:
        response = create_once(
            request=request,
            form=form,
            model=Response,
            create=lambda: sharing.shared_response_create(
                post=seen.post, responder=request.user, text=form.cleaned_data["text"]
            ),
        )
    except DomainError as error:
        form.add_error(None, error.message)
        status = refusal_status(error, otherwise=HTTPStatus.BAD_REQUEST)
        return _shared_post_page(request, seen, form=form, status=status)
    messages.success(request, _("Sent. Your conversation continues here."))
    return redirect(response.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def conversation(request, pk: int, response_pk: int) -> HttpResponse:
    response = selectors.outside_conversation_for(post_pk=pk, pk=response_pk, user=request.user)
    post = response.post
    form, status, sent = conversation_message(request, response)
    if sent is not None:
        return sent
    is_author = post.author_id == request.user.pk
    blocking = circle_selectors.conversation_block_for(response=response, viewer=request.user)
    notifications_mark_read(user=request.user, url=response.get_absolute_url())
    context = {
        "post": post,
        "response": response,
        "is_author": is_author,
        # The post's circle, for what only its members may do (report a message); else None,
        # and never its name.
        "circle": post.circle
        if circle_selectors.membership_of(circle=post.circle, user=request.user)
        else None,
        "back_url": _back_to_post(post, request.user, is_author),
        "messages_list": circle_selectors.messages_of(response=response),
        "form": form,
        "is_open": not blocking.closed and conversation_is_open(response=response),
        "blocking": blocking,
    }
    return render_page_or_fragment(
        request, "networks/conversation.html", "thread", context, status=status
    )


def _back_to_post(post, viewer, is_author: bool) -> str:
    """The post's page the viewer may still open: the author's circle page, or the shared
    page while the post is still shared with them."""
    if is_author:
        return post.get_absolute_url()
    if selectors.shared_post_seen(post=post, viewer=viewer) is None:
        return ""
    return reverse("networks:shared_post", args=[post.pk])


@require_http_methods(["GET", "POST"])
@login_required
def conversation_block(request, pk: int, response_pk: int) -> HttpResponse:
    """Either side of a conversation begun on a network's board may block the other, as
    in a circle's conversation (never a responder an anonymous author: that would say who)."""
    response = selectors.outside_conversation_for(post_pk=pk, pk=response_pk, user=request.user)
    blocking = circle_selectors.conversation_block_for(response=response, viewer=request.user)
    if blocking.blockable is None:
        raise Http404
    return block_confirm(request, other=blocking.blockable, back=response.get_absolute_url())
