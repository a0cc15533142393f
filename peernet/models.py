from django.conf import settings
from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A create form a member sent, remembered for a day: sending the same form again (a
    double click, a retry on a slow link) shows what the first one made, and makes nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    target_type = models.CharField(max_length=100, blank=True)  # "app_label.model"
    target_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_submission_per_key"),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"Submission {self.key} by {self.user_id}"
