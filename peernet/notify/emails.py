"""Every email goes through here: recorded once by key, sent after commit, retried safely.

A delivery row is created inside the caller's transaction (so nothing is mailed about
something that was rolled back) with a unique key (so a retried or duplicated task records
nothing new). A task claims the row with a conditional update before talking to SMTP, so two
tasks never send the same row; an SMTP error releases the claim for a retry with backoff.

SMTP cannot say whether a message got through when the worker dies in the middle of the
conversation. Such a claim is retried after CLAIM_LEASE (losing nothing), with the same
Message-ID, derived from the key, so mail clients show the copy once.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from peernet.members.models import User
from peernet.members.unsubscribe import unsubscribe_token, unsubscribe_tokens
from peernet.notify import constants
from peernet.notify.models import EmailDelivery, person_name

MESSAGE_ID_DOMAIN = "peernet"
TEXT_ENGINE = "text"  # settings.TEMPLATES: the engine that does not HTML-escape
PERSON = "person"  # {"person": user_id} in an email's context: named when the email is sent


def render_email(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) for templates/emails/<template>_subject.txt, .txt and .html."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context, using=TEXT_ENGINE)
        text = render_to_string(f"emails/{template}.txt", context, using=TEXT_ENGINE)
        html = render_to_string(f"emails/{template}.html", context)
    return " ".join(subject.split()), text, html


def _create(delivery: EmailDelivery) -> EmailDelivery | None:
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:
        return None  # already recorded by an earlier run
    return delivery


def email_send(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    key: str | None = None,
    recipient: User | None = None,
    topic: str = "",
) -> EmailDelivery | None:
    """Record one email and send it after the surrounding transaction commits.

    Returns None when an email with this key was already recorded.
    """
    delivery = _create(
        EmailDelivery(
            key=key or f"once:{uuid.uuid4()}",
            to=to,
            recipient=recipient,
            template=template,
            context=context,
            language=language,
            topic=topic,
        )
    )
    if delivery is not None:
        queue_delivery(delivery.pk)
    return delivery


def queue_delivery(delivery_id: int) -> None:
    from peernet.notify.tasks import deliver_email

    transaction.on_commit(lambda: deliver_email.delay(delivery_id))


def _unsubscribe_link(token: str) -> str:
    return settings.SITE_URL + reverse("members:unsubscribe", args=[token])


def unsubscribe_url(*, user: User, topic: str | None) -> str:
    return _unsubscribe_link(unsubscribe_token(user=user, topic=topic))


def _each_person(value, replace):
    """value with each {"person": id} in it replaced by replace(id)."""
    if isinstance(value, dict):
        if value.keys() == {PERSON}:
            return replace(value[PERSON])
        return {k: _each_person(v, replace) for k, v in value.items()}
    if isinstance(value, list):
        return [_each_person(v, replace) for v in value]
    return value


def _context(delivery: EmailDelivery) -> dict:
    """The delivery's context, with people named and the notification's text, in the
    email's language, as they are when it is sent."""
    ids = set()
    _each_person(delivery.context, ids.add)
    people = User.objects.in_bulk(ids) if ids else {}
    with translation.override(delivery.language):
        context = _each_person(delivery.context, lambda pk: person_name(people.get(pk)))
        if delivery.notification is not None:
            context["text"] = delivery.notification.text
    return context


def build_message(delivery: EmailDelivery) -> EmailMultiAlternatives:
    context = _context(delivery)
    digest = hashlib.sha256(delivery.key.encode()).hexdigest()[:32]
    headers = {"Message-ID": f"<{digest}@{MESSAGE_ID_DOMAIN}>"}
    if delivery.recipient_id:
        # One topic's link and the link for all email, from one lookup of the member's key.
        one, every = map(
            _unsubscribe_link,
            unsubscribe_tokens(user=delivery.recipient, topics=[delivery.topic or None, None]),
        )
        context["unsubscribe_url"], context["unsubscribe_all_url"] = one, every
        headers["List-Unsubscribe"] = f"<{one}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    subject, text, html = render_email(
        template=delivery.template, context=context, language=delivery.language
    )
    message = EmailMultiAlternatives(subject=subject, body=text, to=[delivery.to], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def claimable(*, now) -> Q:
    """Unsent and unclaimed, or claimed by a worker that died mid-send."""
    return Q(sent_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - constants.CLAIM_LEASE)
    )


def delivery_send(*, delivery_id: int) -> bool:
    """Send one recorded email unless it is sent or being sent. True if this call sent it.

    SMTP errors propagate (the task retries with backoff) after releasing the claim.
    """
    now = timezone.now()
    claimed = EmailDelivery.objects.filter(claimable(now=now), pk=delivery_id).update(
        claimed_at=now
    )
    if not claimed:
        return False
    delivery = EmailDelivery.objects.select_related("recipient", "notification__actor").get(
        pk=delivery_id
    )
    try:
        build_message(delivery).send()
    except Exception:
        EmailDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(claimed_at=None)
        raise
    EmailDelivery.objects.filter(pk=delivery_id).update(sent_at=timezone.now())
    return True
