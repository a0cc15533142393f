from celery import shared_task

from governance.safety.services import rotas_draw_due


@shared_task
def draw_rotas() -> int:
    return rotas_draw_due()
