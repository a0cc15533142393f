from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language

from peernet.limits import try_again_message
from peernet.mail import CODE_ATTRIBUTE
from peernet.members.models import User
from peernet.members.services import user_signup_complete

# allauth's error for a sign-in limit: too many login codes asked for one address or from one
# network address, or too many wrong passwords.
TOO_MANY_LOGIN_ATTEMPTS = "too_many_login_attempts"
PRODUCT_NAME = "Peernet"


@dataclass(frozen=True)
class EmailSite:
    """What allauth's emails call "the site": without django.contrib.sites it would be the
    request's host ("Hello from 127.0.0.1:8000!"); Peernet's emails come from Peernet."""

    name: str
    domain: str


def email_site() -> EmailSite:
    return EmailSite(name=PRODUCT_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def language_for_address(email: str) -> str:
    """The member's language for an address that is theirs, else the page's language."""
    known = User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
    return known or get_language() or settings.LANGUAGE_CODE


class AccountAdapter(DefaultAccountAdapter):
    def validation_error(self, code, *args):
        """allauth's "Try again later" says when: every sign-in limit in settings counts
        attempts in a sliding window of at most LOGIN_LIMIT_WINDOW."""
        if code == TOO_MANY_LOGIN_ATTEMPTS:
            seconds = int(settings.LOGIN_LIMIT_WINDOW.total_seconds())
            return ValidationError(try_again_message(seconds=seconds), code=code)
        return super().validation_error(code, *args)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (login codes, address checks) come from Peernet, in the member's
        language."""
        with translation.override(language_for_address(email)):
            super().send_mail(template_prefix, email, {"current_site": email_site(), **context})

    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if code := context.get("code"):
            # For the console line of `make run` (peernet/mail.py); not part of the email.
            setattr(message, CODE_ATTRIBUTE, code)
        return message

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=True)
        language = get_language() or settings.LANGUAGE_CODE
        known = {code for code, _ in settings.LANGUAGES}
        user_signup_complete(
            user=user,
            display_name=form.cleaned_data["display_name"],
            language=language if language in known else settings.LANGUAGE_CODE,
        )
        return user
