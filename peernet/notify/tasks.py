from celery import shared_task

from peernet.notify.emails import deliver

SMTP_RETRY_BACKOFF_MAX = 600


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=SMTP_RETRY_BACKOFF_MAX,
    max_retries=8,
)
def deliver_email(*, to: str, template: str, context: dict, language: str) -> None:
    deliver(to=to, template=template, context=context, language=language)
