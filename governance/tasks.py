from celery import shared_task

from governance.services import proposals_close_due


@shared_task
def close_due_proposals() -> int:
    return proposals_close_due()
