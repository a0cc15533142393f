from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import get_language

from peernet.members.services import user_signup_complete


class AccountAdapter(DefaultAccountAdapter):
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
