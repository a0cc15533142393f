"""Upgrading keeps every notification as it read, and undoing the upgrade loses none.
Rows written before names were references still lose a deleted member's name."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from peernet.members.data_rights import account_delete
from peernet.notify.models import EmailDelivery, Notification
from tests.factories import UserFactory

BEFORE = [("notify", "0002_delivery_claim")]
AFTER = [("notify", "0004_removal_proposed_kind")]
# Written by the old code: cut at 300 characters, with a literal % that the upgrade doubles.
OLD_TEXT = ("Ana asked to join Cuota 5% " + "x" * 300)[:300]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_keeps_old_texts_and_can_be_undone():
    ana = UserFactory(display_name="Ana")
    reader = UserFactory()
    try:
        apps = _migrate(BEFORE)
        apps.get_model("notify", "Notification").objects.create(
            recipient_id=reader.pk, kind="join_request", text=OLD_TEXT
        )
        apps = _migrate(AFTER)
        notice = apps.get_model("notify", "Notification").objects.get()
        assert notice.message == OLD_TEXT.replace("%", "%%")
        assert notice.names_in_text
        assert Notification.objects.get().text == OLD_TEXT

        apps = _migrate(BEFORE)
        assert apps.get_model("notify", "Notification").objects.get().text == OLD_TEXT
        _migrate(AFTER)
        Notification.objects.update(actor=ana, message="%(name)s asked to join %(circle)s.")
        Notification.objects.update(params={"circle": "Garden"})
        apps = _migrate(BEFORE)
        undone = apps.get_model("notify", "Notification").objects.get().text
        assert undone == "Ana asked to join Garden."
    finally:
        _migrate(AFTER)


@pytest.mark.django_db
def test_rows_from_before_the_upgrade_still_forget_a_deleted_name():
    ana, namesake, reader = (UserFactory(display_name=n) for n in ("Ana", "Ana", "Reader"))
    old = Notification.objects.create(
        recipient=reader,
        kind="join_request",
        message="Ana asked to join 5%% club.",
        names_in_text=True,
    )
    old_email = EmailDelivery.objects.create(
        key="old",
        to=reader.email,
        recipient=reader,
        template="digest",
        language="en",
        context={"sections": [{"items": [{"text": "Ana"}]}]},
        names_in_text=True,
    )
    new = Notification.objects.create(
        recipient=reader,
        kind="join_request",
        actor=namesake,
        message="%(name)s asked to join %(circle)s.",
        params={"circle": "Ana's garden"},
    )
    account_delete(user=ana)
    old.refresh_from_db()
    old_email.refresh_from_db()
    assert old.text == "a former member asked to join 5% club."
    assert old_email.context == {"sections": [{"items": [{"text": "a former member"}]}]}
    # Written with references: untouched, and the namesake is still named.
    assert Notification.objects.get(pk=new.pk).text == "Ana asked to join Ana's garden."
