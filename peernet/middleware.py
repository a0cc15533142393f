from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.defaults import page_not_found

from peernet.members.selectors import time_zone_of

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answers /healthz early: no database, no host check (load balancers probe by IP)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == HEALTHZ_PATH:
            response = HttpResponse("ok", content_type="text/plain")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class MemberLocaleMiddleware:
    """A signed-in member sees their chosen language, and times in their own time zone, on
    every device.

    Runs after AuthenticationMiddleware; LocaleMiddleware still serves visitors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        if user is not None and user.is_authenticated:
            timezone.activate(time_zone_of(user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class PrivatePagesMiddleware:
    """A signed-in member's pages are theirs alone: no shared cache keeps them, and the
    browser does not store them on disk (a shared or seized phone shows nothing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class FriendlyNotFoundMiddleware:
    """A 404 a view raises is Peernet's own 404 page, also when DEBUG is on: Django's debug
    page would show a visitor the project's URL patterns, and that a private circle's
    address means something. An address no pattern matches keeps Django's debug page in
    development."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
