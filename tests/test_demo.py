"""`seed_demo` fills every corner of the product, and twice is the same as once."""

import json

import pytest
from django.apps import apps
from django.core.management import call_command

from circles.models import Circle, JoinRequest, Message, Post
from governance.legitimacy.models import Partnership, PublishedReport
from governance.models import Proposal, ProposalKind
from governance.safety.constants import ROTA_SIZE
from governance.safety.models import Report
from governance.safety.selectors import current_rota
from peernet.members.models import Block

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"members", "circles", "governance", "networks", "notify", "account"}
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
    # Safety: a drawn rota, one handled and one open report, a block, crisis plans.
    eastside = Circle.objects.get(slug="eastside-mutual-aid")
    assert current_rota(circle=eastside).count() == ROTA_SIZE
    assert Report.objects.filter(circle=eastside, handled_at__isnull=False).count() == 1
    assert Report.objects.filter(circle=eastside, handled_at__isnull=True).count() == 1
    assert Block.objects.exists()
    assert not Circle.objects.filter(crisis_plan="").exists()
    assert set(Proposal.objects.closed().values_list("status", flat=True)) == {"passed", "failed"}
    # Legitimacy: a published report carrying a story, a partnership, a report being voted on.
    report = PublishedReport.objects.get(circle=eastside)
    assert json.loads(report.document)["stories"]
    assert json.loads(report.document)["measures"]["enough_members"] is True
    assert Partnership.objects.current().filter(circle=eastside).exists()
    assert Proposal.objects.open().filter(circle=eastside, kind="publish_report").exists()
