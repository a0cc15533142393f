"""Beat's tasks for legitimacy: thin, each calls one service, and running one twice has the
effect of running it once."""

from celery import shared_task

from governance.legitimacy.services.partnerships import (
    partnership_reminders_send,
    partnerships_lapse_due,
)


@shared_task
def send_partnership_reminders() -> int:
    return partnership_reminders_send()


@shared_task
def lapse_partnerships() -> int:
    return partnerships_lapse_due()
