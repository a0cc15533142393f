import secrets

from django.db import migrations, models

import peernet.members.models

KEY_BYTES = 24


def give_each_a_key(apps, schema_editor):
    NotificationSettings = apps.get_model("members", "NotificationSettings")
    for row in NotificationSettings.objects.filter(unsubscribe_key__isnull=True):
        row.unsubscribe_key = secrets.token_urlsafe(KEY_BYTES)
        row.save(update_fields=["unsubscribe_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_notification_settings"),
    ]

    operations = [
        migrations.AddField(
            model_name="notificationsettings",
            name="unsubscribe_key",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notificationsettings",
            name="unsubscribe_key",
            field=models.CharField(
                default=peernet.members.models.new_unsubscribe_key,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
    ]
