"""Multipart emails rendered in the recipient's language, sent after the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) for templates/emails/<template>_subject.txt, .txt and .html."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return " ".join(subject.split()), text, html


def email_send(*, to: str, template: str, context: dict, language: str) -> None:
    """Queue one email for after the surrounding transaction commits."""
    from peernet.notify.tasks import deliver_email

    transaction.on_commit(
        lambda: deliver_email.delay(to=to, template=template, context=context, language=language)
    )


def deliver(*, to: str, template: str, context: dict, language: str) -> None:
    subject, text, html = render_email(template=template, context=context, language=language)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()
