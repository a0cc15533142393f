"""The records behind one-time form keys are forgotten once the keys can no longer be used."""

import pytest
import time_machine
from django.utils import timezone

from peernet.models import Submission
from peernet.submissions import KEY_MAX_AGE, submissions_forget_old
from peernet.tasks import forget_old_submissions

pytestmark = pytest.mark.django_db


def test_old_submission_records_are_forgotten_and_new_ones_kept(user):
    with time_machine.travel(timezone.now() - KEY_MAX_AGE * 2):
        Submission.objects.create(user=user, key="old")
    Submission.objects.create(user=user, key="new")
    assert forget_old_submissions() == 1
    assert list(Submission.objects.values_list("key", flat=True)) == ["new"]
    assert submissions_forget_old() == 0
