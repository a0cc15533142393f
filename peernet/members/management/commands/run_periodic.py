"""Celery beat for the embedded default: runs the beat schedule's tasks in this process."""

import logging
import time

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand

from peernet.celery import app

logger = logging.getLogger(__name__)

TICK_SECONDS = 10


class Command(BaseCommand):
    help = "Run the periodic tasks of CELERY_BEAT_SCHEDULE in process (no Redis, no worker)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every task once, then stop.")

    def handle(self, *args, once: bool = False, **options):
        app.loader.import_default_modules()
        entries = {
            name: (entry["task"], maybe_schedule(entry["schedule"], app=app))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        if once:
            for task_name, _ in entries.values():
                self._run(task_name)
            return
        last_run = {name: app.now() for name in entries}
        self.stdout.write(f"Running {len(entries)} periodic tasks in process.")
        while True:
            for name, (task_name, schedule) in entries.items():
                if schedule.is_due(last_run[name]).is_due:
                    last_run[name] = app.now()
                    self._run(task_name)
            time.sleep(TICK_SECONDS)

    def _run(self, task_name: str) -> None:
        try:
            app.tasks[task_name].apply(throw=True)
        except Exception:
            logger.exception("Periodic task %s failed", task_name)
