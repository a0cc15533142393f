from celery import shared_task

from governance.services import (
    proposal_announce_decided,
    proposal_announce_opened,
    proposals_close_due,
    vote_reminders_send,
)


@shared_task
def close_due_proposals() -> int:
    return proposals_close_due()


@shared_task
def send_vote_reminders() -> int:
    return vote_reminders_send()


@shared_task
def announce_proposal_opened(proposal_id: int) -> int:
    return proposal_announce_opened(proposal_id=proposal_id)


@shared_task
def announce_decision(proposal_id: int) -> int:
    return proposal_announce_decided(proposal_id=proposal_id)
