"""Notifications name who acted by reference, and are translated when shown.

Existing notifications keep their text as it was written: it becomes a message with no
placeholders (a literal % doubled, so formatting leaves it as it is)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def text_to_message(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    for notice in Notification.objects.only("pk", "text").iterator():
        Notification.objects.filter(pk=notice.pk).update(message=notice.text.replace("%", "%%"))


def message_to_text(apps, schema_editor):
    Notification = apps.get_model("notify", "Notification")
    for notice in Notification.objects.only("pk", "message").iterator():
        Notification.objects.filter(pk=notice.pk).update(text=notice.message.replace("%%", "%"))


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
            field=models.CharField(default="", max_length=300),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict),
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
