"""Each flag on a post becomes a report to the care rota, with the flag's words."""

from django.db import migrations


def flags_to_reports(apps, schema_editor):
    Flag = apps.get_model("circles", "Flag")
    Report = apps.get_model("safety", "Report")
    Report.objects.bulk_create(
        (
            Report(
                circle_id=flag.post.circle_id,
                reporter_id=flag.flagger_id,
                reported_id=flag.post.author_id,
                target="post",
                item=f"post:{flag.post_id}",
                post_id=flag.post_id,
                reason="other",
                words=flag.reason,
                created_at=flag.created_at,
            )
            for flag in Flag.objects.select_related("post").iterator()
        ),
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("safety", "0001_initial"),
        ("circles", "0004_care_rota_and_crisis_plan"),
    ]

    operations = [migrations.RunPython(flags_to_reports, migrations.RunPython.noop)]
