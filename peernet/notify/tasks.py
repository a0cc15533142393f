from celery import shared_task

from peernet.notify import services
from peernet.notify.emails import delivery_send

SMTP_RETRY_BACKOFF_MAX = 600
SMTP_MAX_RETRIES = 8


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=SMTP_RETRY_BACKOFF_MAX,
    max_retries=SMTP_MAX_RETRIES,
)
def deliver_email(delivery_id: int) -> bool:
    return delivery_send(delivery_id=delivery_id)


@shared_task
def send_pending_emails() -> int:
    """Sends what a lost task or a killed worker left unsent."""
    return services.emails_send_pending()


@shared_task
def send_digests() -> int:
    return services.digests_send()
