from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from peernet.limits import try_again_message
from peernet.members.services import user_signup_complete

# allauth's error for a sign-in limit: too many login codes asked for one address or from one
# network address, or too many wrong passwords.
TOO_MANY_LOGIN_ATTEMPTS = "too_many_login_attempts"


class AccountAdapter(DefaultAccountAdapter):
    def validation_error(self, code, *args):
        """allauth's "Try again later" says when: every sign-in limit in settings counts
        attempts in a sliding window of at most LOGIN_LIMIT_WINDOW."""
        if code == TOO_MANY_LOGIN_ATTEMPTS:
            seconds = int(settings.LOGIN_LIMIT_WINDOW.total_seconds())
            return ValidationError(try_again_message(seconds=seconds), code=code)
        return super().validation_error(code, *args)

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
