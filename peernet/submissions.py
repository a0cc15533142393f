"""One idempotency mechanism for every create form.

Each form carries a one-time key, issued when the page is rendered and signed for this
member's session. The first submission of a key records it in the same transaction as what
it creates; a second one (a double click, a retry) waits for the first, then gets what the
first made. A key is never taken from the query string, and a key that is not this session's
(forged, old, or another member's) is simply ignored: the form still works, once per send.
"""

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from peernet.forms import SubmittedOnceForm
from peernet.models import Submission

FIELD = "submission"
SALT = "peernet.submission"
KEY_MAX_AGE = timedelta(days=1)
NONCE_BYTES = 18


def _salt(request: HttpRequest) -> str:
    return f"{SALT}:{request.user.pk}:{request.session.session_key}"


def submission_key_issue(request: HttpRequest) -> str:
    return signing.dumps(secrets.token_urlsafe(NONCE_BYTES), salt=_salt(request))


def submission_key_read(request: HttpRequest, value: str) -> str | None:
    """The key a form came back with, if this session issued it in the last day."""
    try:
        return signing.loads(value, salt=_salt(request), max_age=KEY_MAX_AGE)
    except signing.BadSignature:
        return None


def with_submission_key(request: HttpRequest, **initial) -> dict:
    """A create form's initial data, with a fresh key."""
    return {**initial, FIELD: submission_key_issue(request)}


def _earlier(submission: Submission, model: type[models.Model]) -> models.Model | None:
    if submission.target_type != model._meta.label_lower:
        return None
    return apps.get_model(submission.target_type).objects.filter(pk=submission.target_id).first()


def create_once[T: models.Model](
    *, request: HttpRequest, form: SubmittedOnceForm, model: type[T], create: Callable[[], T]
) -> T:
    """What create() makes, or, when this form was already sent, what the first send made."""
    key = submission_key_read(request, form.submission_key) if form.submission_key else None
    if key is None:
        return create()
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Blocks while another request holds this key, until it commits or fails.
                Submission.objects.create(user=request.user, key=key)
        except IntegrityError:
            earlier = Submission.objects.get(user=request.user, key=key)
            if made := _earlier(earlier, model):
                return made
            return create()
        made = create()
        Submission.objects.filter(user=request.user, key=key).update(
            target_type=model._meta.label_lower, target_id=made.pk
        )
        return made


def submissions_forget_old(*, now=None) -> int:
    """Keys are refused after a day, so their records can go."""
    cutoff = (now or timezone.now()) - KEY_MAX_AGE
    return Submission.objects.filter(created_at__lt=cutoff).delete()[0]
