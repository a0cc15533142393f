from celery import shared_task

from circles import services


@shared_task
def expire_posts() -> int:
    return services.posts_expire_due()


@shared_task
def send_expiry_reminders() -> int:
    return services.expiry_reminders_send()


@shared_task
def send_response_nudges() -> int:
    return services.response_nudges_send()
