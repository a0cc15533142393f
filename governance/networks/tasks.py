"""Beat's and the closing hook's tasks for networks: thin, each calls one service, and
running one twice has the effect of running it once."""

from celery import shared_task

from governance.networks.services.questions import (
    question_announce_decided,
    question_settle,
    questions_settle_due,
)


@shared_task
def settle_due_questions() -> int:
    return questions_settle_due()


@shared_task
def settle_question(question_id: int) -> bool:
    return question_settle(question_id=question_id)


@shared_task
def announce_question_decided(question_id: int) -> int:
    return question_announce_decided(question_id=question_id)
