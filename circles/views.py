from datetime import timedelta
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from circles import board_cache, constants, lifecycle, selectors, services
from circles.access import circle_view
from circles.forms import (
    BoardFilterForm,
    CircleCreateForm,
    CircleForm,
    DirectoryForm,
    ExtendForm,
    FulfilForm,
    InviteForm,
    JoinRequestForm,
    MessageForm,
    PostForm,
    ReviewForm,
    SharingForm,
    board_link_query,
)
from circles.home import home_sections
from circles.models import Circle, Invite, JoinPolicy, Message, Post, PostKind, PostStatus, Response
from circles.outside import post_sections
from peernet.errors import DomainError
from peernet.http import FRAGMENT_VARY, local_url, render_page_or_fragment, wants_fragment
from peernet.limits import refusal_status
from peernet.members.selectors import block_made, block_problem, blocked_ids_either_way
from peernet.members.services import block_create
from peernet.notify.services import notifications_mark_read
from peernet.submissions import create_once, with_submission_key


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    circles = selectors.directory_circles(
        text=filters.get("q", ""), topic=filters.get("topic", ""), area=filters.get("area", "")
    )
    page = Paginator(circles, constants.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    mine = (
        selectors.circles_of_user(user=request.user).with_member_count()
        if request.user.is_authenticated
        else None
    )
    context = {"form": form, "page": page, "mine": mine}
    return render_page_or_fragment(request, "circles/directory.html", "results", context)


@require_http_methods(["GET", "POST"])
@login_required
def circle_create(request: HttpRequest) -> HttpResponse:
    initial = with_submission_key(request, language=request.LANGUAGE_CODE)
    form = CircleCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            circle = create_once(
                request=request,
                form=form,
                model=Circle,
                create=lambda: services.circle_create(
                    creator=request.user, founding=form.founding(), **form.circle_data()
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your circle is ready. Invite people to join it."))
            return redirect("circles:home", slug=circle.slug)
    return render(request, "circles/circle_form.html", {"form": form})


@require_safe
@login_required
def welcome(request: HttpRequest) -> HttpResponse:
    """Where a new account lands: find a circle, or start one."""
    return render(request, "circles/welcome.html", {"search": DirectoryForm()})


@require_safe
@circle_view()
def circle_home(request, circle, membership) -> HttpResponse:
    context = {
        "circle": circle,
        "membership": membership,
        "member_count": selectors.active_member_count(circle=circle),
        "pending_request": selectors.pending_request_of(circle=circle, user=request.user),
        "request_count": selectors.pending_requests(circle=circle).count() if membership else 0,
        "recent_posts": selectors.with_circles(
            selectors.board(
                circles=[circle],
                hidden=blocked_ids_either_way(request.user),
                status=PostStatus.OPEN,
            )[: constants.HOME_POSTS_SHOWN],
            [circle],
        )
        if membership
        else [],
        "home_sections": home_sections(circle=circle, membership=membership),
    }
    return render(request, "circles/home.html", context)


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def circle_settings(request, circle, membership) -> HttpResponse:
    editable = services.settings_editable_directly(circle=circle)
    form = CircleForm(request.POST or None, instance=circle)
    if request.method == "POST" and form.is_valid():
        try:
            services.circle_update_settings(
                circle=circle, member=request.user, changes=form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The circle's settings are saved."))
            return redirect("circles:home", slug=circle.slug)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "circle": circle,
        "form": form,
        "editable": editable,
        "threshold": constants.GOVERNANCE_THRESHOLD_MEMBERS,
    }
    return render(request, "circles/settings.html", context)


@require_safe
@circle_view(members_only=True)
def members(request, circle, membership) -> HttpResponse:
    members = selectors.members_of(circle=circle, viewer=request.user)
    page = Paginator(members, constants.MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"circle": circle, "membership": membership, "page": page}
    return render(request, "circles/members.html", context)


@require_safe
@circle_view(members_only=True)
def crisis_plan(request, circle, membership) -> HttpResponse:
    return render(request, "circles/crisis_plan.html", {"circle": circle})


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def sharing(request, circle, membership) -> HttpResponse:
    form = SharingForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        services.membership_update_sharing(membership=membership, **form.cleaned_data)
        messages.success(request, _("Saved. This circle now sees what you chose."))
        return redirect("circles:members", slug=circle.slug)
    return render(request, "circles/sharing.html", {"circle": circle, "form": form})


@require_http_methods(["GET", "POST"])
@circle_view(hidden=True)
def member_block(request, circle, membership, user_pk: int) -> HttpResponse:
    """Block a fellow member: a confirmation page, then the block. Only a current member
    of this circle can be blocked from here; anyone else is a 404."""
    other = selectors.fellow_member(circle=circle, pk=user_pk)
    return block_confirm(request, other=other, back=reverse("circles:members", args=[circle.slug]))


def block_confirm(request, *, other, back: str) -> HttpResponse:
    """Block someone: a confirmation page, then the block. For every page that offers to
    block the person it shows (a fellow member, the other side of a conversation)."""
    back = local_url(request, request.POST.get("next") or request.GET.get("next", "")) or back
    if request.method == "POST":
        try:
            block_create(blocker=request.user, blocked=other)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(back)
        messages.success(
            request,
            _("You blocked %(name)s. They will not be told.") % {"name": other.display_name},
        )
        return redirect(local_url(request, request.POST.get("next", "")) or "members:blocked")
    context = {
        "other": other,
        "next": back,
        "problem": block_problem(blocker=request.user, blocked=other),
        "already": block_made(blocker=request.user, blocked_id=other.pk) is not None,
    }
    return render(request, "circles/member_block.html", context)


@require_http_methods(["GET", "POST"])
@circle_view(login=True)
def join(request, circle, membership) -> HttpResponse:
    if membership:
        messages.info(request, _("You are already a member of this circle."))
        return redirect("circles:home", slug=circle.slug)
    form = JoinRequestForm(request.POST or None)
    status = HTTPStatus.OK
    if request.method == "POST" and (circle.join_policy != JoinPolicy.APPROVAL or form.is_valid()):
        try:
            if circle.join_policy == JoinPolicy.APPROVAL:
                services.join_request_create(
                    circle=circle, user=request.user, message=form.cleaned_data["message"]
                )
                messages.success(request, _("Your request is sent. You will hear back by email."))
            else:
                services.circle_join(circle=circle, user=request.user)
                messages.success(request, _("Welcome to %(circle)s!") % {"circle": circle.name})
        except DomainError as error:
            messages.error(request, error.message)
            status = refusal_status(error)
        # Past a limit the form comes back with what was typed, to send when the limit allows.
        if status == HTTPStatus.OK:
            return redirect("circles:home", slug=circle.slug)
    context = {
        "circle": circle,
        "form": form,
        "pending_request": selectors.pending_request_of(circle=circle, user=request.user),
    }
    return render(request, "circles/join.html", context, status=status)


@require_safe
@circle_view(members_only=True)
def requests(request, circle, membership) -> HttpResponse:
    pending = selectors.pending_requests(circle=circle)
    return render(
        request,
        "circles/requests.html",
        {"circle": circle, "requests": pending, "review_form": ReviewForm()},
    )


@require_POST
@circle_view(members_only=True)
def request_review(request, circle, membership, pk: int) -> HttpResponse:
    join_request = selectors.join_request_for_member(circle=circle, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
        return redirect("circles:requests", slug=circle.slug)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        result = services.join_request_review(
            join_request=join_request, member=request.user, approve=approve
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if result.status == "pending":
            messages.success(request, _("Noted. More members need to answer before it is decided."))
        elif approve:
            messages.success(
                request, _("%(name)s is now a member.") % {"name": result.user.display_name}
            )
        else:
            messages.success(request, _("The request is declined. They will be told."))
    return redirect("circles:requests", slug=circle.slug)


@require_POST
@circle_view(login=True)
def request_withdraw(request, circle, membership, pk: int) -> HttpResponse:
    join_request = selectors.pending_request_of(circle=circle, user=request.user)
    if join_request is None or join_request.pk != pk:
        raise Http404
    services.join_request_withdraw(join_request=join_request, user=request.user)
    messages.success(request, _("Your request is withdrawn."))
    return redirect("circles:home", slug=circle.slug)


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def invites(request, circle, membership) -> HttpResponse:
    form = InviteForm(request.POST or None, initial=with_submission_key(request))
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invite = create_once(
                request=request,
                form=form,
                model=Invite,
                create=lambda: services.invite_create(
                    circle=circle,
                    member=request.user,
                    lifetime=timedelta(days=data["days"]),
                    max_uses=data["max_uses"],
                    email=data["email"],
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = refusal_status(error)
        else:
            if invite.email:
                messages.success(request, _("Invite sent to %(email)s.") % {"email": invite.email})
            else:
                messages.success(request, _("New invite link made. Copy it from the list below."))
            return redirect("circles:invites", slug=circle.slug)
    context = {
        "circle": circle,
        "form": form,
        "invites": selectors.invites_of(circle=circle),
    }
    return render(request, "circles/invites.html", context, status=status)


@require_POST
@circle_view(members_only=True)
def invite_revoke(request, circle, membership, pk: int) -> HttpResponse:
    invite = selectors.invites_of(circle=circle).filter(pk=pk).first()
    if invite is None:
        raise Http404
    services.invite_revoke(invite=invite, member=request.user)
    messages.success(request, _("The invite link no longer works."))
    return redirect("circles:invites", slug=circle.slug)


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def leave(request, circle, membership) -> HttpResponse:
    if request.method == "POST":
        services.membership_end(circle=circle, user=request.user)
        messages.success(request, _("You have left %(circle)s.") % {"circle": circle.name})
        return redirect("circles:directory")
    return render(request, "circles/leave.html", {"circle": circle})


@require_http_methods(["GET", "POST"])
def invite_open(request: HttpRequest, token: str) -> HttpResponse:
    """The invite link: only its holder learns a private circle's name and purpose."""
    invite = selectors.invite_by_token(token=token)
    circle = invite.circle
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_signup')}?{urlencode({'next': request.path})}")
        try:
            services.invite_accept(invite=invite, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            # Someone may have taken the last use meanwhile: show the invite as it is now.
            invite.refresh_from_db()
        else:
            messages.success(request, _("Welcome to %(circle)s!") % {"circle": circle.name})
            return redirect("circles:home", slug=circle.slug)
    membership = selectors.membership_of(circle=circle, user=request.user)
    problem = services.invite_problem(invite)
    status = 410 if problem and not membership else 200
    context = {"invite": invite, "circle": circle, "membership": membership, "problem": problem}
    return render(request, "circles/invite.html", context, status=status)


# --- Offers and needs --------------------------------------------------------------------


BOARD_TEMPLATE = "circles/board.html"


def board_filters(request) -> tuple[BoardFilterForm, dict]:
    form = BoardFilterForm(request.GET or {"status": PostStatus.OPEN})
    filters = form.cleaned_data if form.is_valid() else {"status": PostStatus.OPEN}
    return form, filters


def _board_response(request, form, posts_html, extra: dict) -> HttpResponse:
    """The whole board page, or only its list of posts when htmx swaps it in."""
    if wants_fragment(request):
        response = HttpResponse(posts_html)
    else:
        context = {"form": form, "posts_html": posts_html, **extra}
        response = render(request, BOARD_TEMPLATE, context)
    patch_vary_headers(response, FRAGMENT_VARY)
    return response


@require_safe
@circle_view(members_only=True)
def board(request, circle, membership) -> HttpResponse:
    form, filters = board_filters(request)
    posts_html = board_cache.board_posts(
        viewer=request.user,
        circle=circle,
        filters=filters,
        page_number=request.GET.get("page"),
        template=BOARD_TEMPLATE,
    )
    return _board_response(request, form, posts_html, {"circle": circle})


@require_safe
@login_required
def my_board(request: HttpRequest) -> HttpResponse:
    """Every circle of the member's at once: rendered for them (only circle boards cache)."""
    form, filters = board_filters(request)
    page = selectors.board_page(
        circles=selectors.circles_of_user(user=request.user),
        hidden=blocked_ids_either_way(request.user),
        filters=filters,
        page_number=selectors.board_page_number(request.GET.get("page")),
    )
    context = {"page": page, "show_circle": True, "query": board_link_query(filters)}
    posts_html = render_to_string(f"{BOARD_TEMPLATE}#posts", context, request=request)
    return _board_response(request, form, posts_html, {"circle": None})


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def post_create(request, circle, membership) -> HttpResponse:
    kind = request.GET.get("kind")
    initial = with_submission_key(request, kind=kind if kind in PostKind.values else "")
    form = PostForm(request.POST or None, initial=initial)
    status = HTTPStatus.OK
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = create_once(
                request=request,
                form=form,
                model=Post,
                create=lambda: services.post_create(
                    circle=circle,
                    author=request.user,
                    kind=data["kind"],
                    title=data["title"],
                    details=data["details"],
                    category=data["category"],
                    urgency=data["urgency"],
                    area=data["area"],
                    anonymous=data["anonymous"],
                    lifetime=timedelta(days=data["days"]),
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = refusal_status(error)
        else:
            messages.success(request, _("Your post is up. Matching posts are listed below."))
            return redirect("circles:post", slug=circle.slug, pk=post.pk)
    context = {"circle": circle, "form": form}
    return render(request, "circles/post_form.html", context, status=status)


@require_safe
@circle_view(members_only=True)
def post_detail(request, circle, membership, pk: int) -> HttpResponse:
    post = selectors.post_in_circle(circle=circle, pk=pk, viewer=request.user)
    return _post_page(request, circle, post)


def _post_page(
    request, circle, post, *, message_form: MessageForm | None = None, status: int = HTTPStatus.OK
) -> HttpResponse:
    is_author = post.author_id == request.user.pk
    my_response = None if is_author else selectors.response_of(post=post, user=request.user)
    context = {
        "circle": circle,
        "post": post,
        "is_author": is_author,
        # What the page offers: buttons come from here, never from the post's status.
        "actions": lifecycle.post_actions(
            post=post, viewer=request.user, responded=my_response is not None
        ),
        "matches": selectors.matches_for(post=post, viewer=request.user),
        "responses": selectors.responses_for_author(post=post) if is_author else None,
        "my_response": my_response,
        "message_form": message_form or MessageForm(initial=with_submission_key(request)),
        "fulfil_form": FulfilForm(),
        "extend_form": ExtendForm(),
        "post_sections": post_sections(post=post, viewer=request.user),
    }
    return render(request, "circles/post.html", context, status=status)


def _post_action(request, circle, pk: int, action, success: str, **kwargs) -> HttpResponse:
    post = selectors.post_in_circle(circle=circle, pk=pk, viewer=request.user)
    try:
        action(post=post, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("circles:post", slug=circle.slug, pk=pk)


def _invalid(request, circle, pk: int, form) -> HttpResponse:
    for errors in form.errors.values():
        messages.error(request, errors[0])
    return redirect("circles:post", slug=circle.slug, pk=pk)


@require_POST
@circle_view(members_only=True)
def post_respond(request, circle, membership, pk: int) -> HttpResponse:
    post = selectors.post_in_circle(circle=circle, pk=pk, viewer=request.user)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _invalid(request, circle, pk, form)
    try:
        response = create_once(
            request=request,
            form=form,
            model=Response,
            create=lambda: services.response_create(
                post=post, responder=request.user, text=form.cleaned_data["text"]
            ),
        )
    except DomainError as error:
        messages.error(request, error.message)
        status = refusal_status(error)
        if status == HTTPStatus.OK:
            return redirect("circles:post", slug=circle.slug, pk=pk)
        # Past a limit the page comes back with what was typed, to send when the limit allows.
        return _post_page(request, circle, post, message_form=form, status=status)
    messages.success(request, _("Sent. Your conversation continues here."))
    return redirect("circles:conversation", slug=circle.slug, pk=pk, response_pk=response.pk)


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def conversation(request, circle, membership, pk: int, response_pk: int) -> HttpResponse:
    # No viewer: a conversation with someone in a block stays readable (nothing is lost).
    post = selectors.post_in_circle(circle=circle, pk=pk)
    response = selectors.conversation_for(post=post, pk=response_pk, user=request.user)
    form, status, sent = conversation_message(request, response)
    if sent is not None:
        return sent
    blocking = selectors.conversation_block_for(response=response, viewer=request.user)
    # Reading the conversation reads what told of it, so the circle's badge clears.
    notifications_mark_read(user=request.user, url=response.get_absolute_url())
    context = {
        "circle": circle,
        "post": post,
        "response": response,
        "is_author": post.author_id == request.user.pk,
        "messages_list": selectors.messages_of(response=response),
        "form": form,
        "is_open": not blocking.closed and services.conversation_is_open(response=response),
        # Not "block": templates keep that name for {% block %}.
        "blocking": blocking,
    }
    return render_page_or_fragment(
        request, "circles/conversation.html", "thread", context, status=status
    )


def conversation_message(request, response) -> tuple[MessageForm, int, HttpResponse | None]:
    """A conversation page's form: on a POST, the message sent (or refused, kept as typed).
    Returns the form to show, the page's status, and the redirect to answer with, if any."""
    form = MessageForm(request.POST or None, initial=with_submission_key(request))
    if request.method != "POST":
        return form, HTTPStatus.OK, None
    if not form.is_valid():
        return form, HTTPStatus.BAD_REQUEST, None
    try:
        create_once(
            request=request,
            form=form,
            model=Message,
            create=lambda: services.message_send(
                response=response, sender=request.user, text=form.cleaned_data["text"]
            ),
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return form, refusal_status(error, otherwise=HTTPStatus.BAD_REQUEST), None
    if not wants_fragment(request):
        return form, HTTPStatus.OK, redirect(request.path)
    return MessageForm(initial=with_submission_key(request)), HTTPStatus.OK, None


@require_POST
@circle_view(members_only=True)
def post_accept(request, circle, membership, pk: int, response_pk: int) -> HttpResponse:
    post = selectors.post_in_circle(circle=circle, pk=pk)
    response = selectors.conversation_for(post=post, pk=response_pk, user=request.user)
    return _post_action(
        request,
        circle,
        pk,
        services.response_accept,
        _("Accepted. The post is now in progress."),
        author=request.user,
        response=response,
    )


@require_POST
@circle_view(members_only=True)
def post_fulfil(request, circle, membership, pk: int) -> HttpResponse:
    form = FulfilForm(request.POST)
    if not form.is_valid():
        return _invalid(request, circle, pk, form)
    return _post_action(
        request,
        circle,
        pk,
        services.post_fulfil,
        _("Marked as fulfilled. Thank you!"),
        author=request.user,
        thank_you=form.cleaned_data["thank_you"],
    )


@require_POST
@circle_view(members_only=True)
def post_thank(request, circle, membership, pk: int) -> HttpResponse:
    form = FulfilForm(request.POST)
    if not form.is_valid():
        return _invalid(request, circle, pk, form)
    return _post_action(
        request,
        circle,
        pk,
        services.post_thank,
        _("Your thank-you note is up."),
        author=request.user,
        thank_you=form.cleaned_data["thank_you"],
    )


@require_POST
@circle_view(members_only=True)
def post_withdraw(request, circle, membership, pk: int) -> HttpResponse:
    return _post_action(
        request,
        circle,
        pk,
        services.post_withdraw,
        _("Your post is withdrawn."),
        author=request.user,
    )


@require_POST
@circle_view(members_only=True)
def post_extend(request, circle, membership, pk: int) -> HttpResponse:
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _invalid(request, circle, pk, form)
    return _post_action(
        request,
        circle,
        pk,
        services.post_extend,
        _("Your post has more time."),
        author=request.user,
        lifetime=timedelta(days=form.cleaned_data["days"]),
    )
