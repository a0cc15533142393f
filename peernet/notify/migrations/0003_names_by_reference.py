"""Notifications name who acted by reference, and are translated when shown.

Existing notifications keep their text as it was written: it becomes a message with no
placeholders (a literal % doubled, so formatting leaves it as it is). They, and existing
email records, are marked as naming people in their text, so deleting an account still
removes its name from them (services.member_notices_forget); nothing written after this
migration needs that."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Replace


def text_to_message(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    EmailDelivery = apps.get_model("notify", "EmailDelivery")
    Notification.objects.update(
        message=Replace("text", Value("%"), Value("%%")), names_in_text=True
    )
    EmailDelivery.objects.update(names_in_text=True)


def message_to_text(apps, schema_editor):
    """Back to rendered text, in English, naming people as they are now."""
    Notification = apps.get_model("notify", "Notification")
    for notice in Notification.objects.select_related("actor").iterator():
        name = notice.actor.display_name if notice.actor else "a former member"
        text = notice.message % {**notice.params, "name": name}
        Notification.objects.filter(pk=notice.pk).update(text=text[:300])


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0002_delivery_claim"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="message",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="notification",
            name="names_in_text",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="emaildelivery",
            name="names_in_text",
            field=models.BooleanField(default=False),
        ),
        # A default, so that undoing the removal below can add the column back to rows.
        migrations.AlterField(
            model_name="notification",
            name="text",
            field=models.CharField(default="", max_length=300),
        ),
        migrations.RunPython(text_to_message, message_to_text),
        migrations.RemoveField(model_name="notification", name="text"),
        migrations.AddField(
            model_name="emaildelivery",
            name="notification",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="notify.notification",
            ),
        ),
    ]
