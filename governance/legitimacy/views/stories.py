from http import HTTPStatus

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from circles.access import circle_view
from governance.legitimacy import constants
from governance.legitimacy.forms.stories import ConsentForm, StoryForm
from governance.legitimacy.models import Story
from governance.legitimacy.selectors import stories as selectors
from governance.legitimacy.services import stories as services
from peernet.errors import DomainError
from peernet.limits import refusal_status
from peernet.submissions import create_once, with_submission_key


@require_safe
@circle_view(members_only=True)
def stories(request, circle, membership) -> HttpResponse:
    found = selectors.stories_of(circle=circle, viewer=request.user)
    page = Paginator(found, constants.STORIES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "circle": circle,
        "page": page,
        "shown": [selectors.story_shown(story, request.user) for story in page.object_list],
        "waiting": selectors.mentions_waiting_for(user=request.user, circle=circle),
    }
    return render(request, "legitimacy/stories.html", context)


@require_http_methods(["GET", "POST"])
@circle_view(members_only=True)
def story_new(request, circle, membership) -> HttpResponse:
    form = StoryForm(
        request.POST or None,
        circle=circle,
        author=request.user,
        initial=with_submission_key(request),
    )
    status = HTTPStatus.OK
    if request.method == "POST" and not form.is_valid():
        status = HTTPStatus.BAD_REQUEST
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            story = create_once(
                request=request,
                form=form,
                model=Story,
                create=lambda: services.story_create(
                    circle=circle,
                    author=request.user,
                    title=data["title"],
                    text=data["text"],
                    byline=data["byline"],
                    named=list(data["named"]),
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            status = refusal_status(error, otherwise=HTTPStatus.BAD_REQUEST)
        else:
            if story.mentions.exists():
                messages.success(
                    request,
                    _(
                        "Your story is saved. The people it names are asked first: it can go "
                        "in a report once they all say yes."
                    ),
                )
            else:
                messages.success(request, _("Your story is saved. It can go in a report."))
            return redirect("legitimacy:story", slug=circle.slug, pk=story.pk)
    context = {"circle": circle, "form": form}
    return render(request, "legitimacy/story_form.html", context, status=status)


@require_safe
@circle_view(members_only=True)
def story_detail(request, circle, membership, pk: int) -> HttpResponse:
    story = selectors.story_in_circle(circle=circle, pk=pk, viewer=request.user)
    context = {
        "circle": circle,
        "story": story,
        "shown": selectors.story_shown(story, request.user),
        "mentions": story.mentions.all(),
    }
    return render(request, "legitimacy/story.html", context)


@require_POST
@circle_view(members_only=True)
def story_withdraw(request, circle, membership, pk: int) -> HttpResponse:
    story = selectors.story_in_circle(circle=circle, pk=pk, viewer=request.user)
    try:
        services.story_withdraw(story=story, member=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your story is withdrawn. Only you can see it now, and it goes in no report."),
        )
    return redirect("legitimacy:story", slug=circle.slug, pk=story.pk)


@require_POST
@circle_view(members_only=True)
def story_consent(request, circle, membership, pk: int) -> HttpResponse:
    story = selectors.story_in_circle(circle=circle, pk=pk, viewer=request.user)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes or no."))
        return redirect("legitimacy:story", slug=circle.slug, pk=story.pk)
    give = form.cleaned_data["answer"] == "give"
    try:
        services.story_consent_answer(story=story, member=request.user, give=give)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if give:
            messages.success(request, _("Thank you. The story can name you."))
        else:
            messages.success(
                request, _("Done. The story stays out of reports unless you change your mind.")
            )
    if form.cleaned_data.get("back") == "list":
        return redirect("legitimacy:stories", slug=circle.slug)
    return redirect("legitimacy:story", slug=circle.slug, pk=story.pk)
