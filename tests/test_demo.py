"""`seed_demo` fills every corner of the product, and twice is the same as once."""

import pytest
from django.apps import apps
from django.core.management import call_command

from circles.models import Circle, JoinRequest, Message, Post
from governance.models import Proposal, ProposalKind

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"members", "circles", "governance", "notify", "account"}
    }


def test_seed_demo_is_idempotent_and_covers_the_product():
    call_command("seed_demo", force=True)
    once = row_counts()
    call_command("seed_demo", force=True)
    assert row_counts() == once

    assert set(Circle.objects.values_list("visibility", flat=True)) == {
        "public",
        "unlisted",
        "private",
    }
    assert set(Circle.objects.values_list("join_policy", flat=True)) == {
        "open",
        "approval",
        "invite",
    }
    assert JoinRequest.objects.filter(status="pending").exists()
    open_kinds = set(Proposal.objects.open().values_list("kind", flat=True))
    assert open_kinds == set(ProposalKind.values)
    assert set(Post.objects.values_list("status", flat=True)) >= {
        "open",
        "in_progress",
        "fulfilled",
        "withdrawn",
        "expired",
    }
    assert Post.objects.filter(anonymous=True, responses__messages__isnull=False).exists()
    assert Message.objects.filter(response__post__anonymous=False).count() >= 2
    assert Post.objects.filter(flag_count__gt=0).exists()
    assert set(Proposal.objects.closed().values_list("status", flat=True)) == {"passed", "failed"}
