"""Upgrading turns every flag on a post into a report to the care rota, with its words."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from governance.safety.models import Report
from tests.factories import UserFactory

BEFORE = [("safety", "0001_initial")]
AFTER = [("circles", "0005_flags_are_reports")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_each_flag_becomes_a_report_and_the_flags_go():
    author, flagger, other = UserFactory(), UserFactory(), UserFactory()
    try:
        apps = _migrate(BEFORE)
        circle = apps.get_model("circles", "Circle").objects.create(
            name="Old circle", slug="old-circle"
        )
        post = apps.get_model("circles", "Post").objects.create(
            circle=circle,
            author_id=author.pk,
            kind="offer",
            title="Miracle pills",
            category="health",
            expires_at=timezone.now(),
            flag_count=2,
        )
        flags = apps.get_model("circles", "Flag").objects
        flags.create(post=post, flagger_id=flagger.pk, reason="Health claims")
        flags.create(post=post, flagger_id=other.pk, reason="Spam")
        apps = _migrate(AFTER)
        reports = {r.reporter_id: r for r in apps.get_model("safety", "Report").objects.all()}
        assert set(reports) == {flagger.pk, other.pk}
        first = reports[flagger.pk]
        assert (first.words, first.item, first.post_id) == (
            "Health claims",
            f"post:{post.pk}",
            post.pk,
        )
        assert (first.reported_id, first.circle_id, first.target) == (author.pk, circle.pk, "post")
    finally:
        _migrate(_latest())
    assert Report.objects.count() == 2
