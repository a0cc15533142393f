from celery import shared_task

from peernet.submissions import submissions_forget_old


@shared_task
def forget_old_submissions() -> int:
    return submissions_forget_old()
