"""``gonghui worker``: sends the outbox and runs the periodic jobs.

With the database queue (the default) it runs the django-tasks-db worker (which sends each message
as soon as it is queued: an urgent one within a second) and, beside it, a small scheduler that every
few seconds queues a sweep of the outbox (retries, held messages, any task lost) and the periodic
jobs when their time comes. With Celery, run ``gonghui worker --scheduler-only`` once (like
celery beat) and Celery workers for the tasks (docs/messaging.md).
"""

import logging
import os
import signal
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("gonghui.messaging")


def _parent_gone() -> bool:
    """Started by ``gonghui demo`` (GONGHUI_WORKER_PARENT): true once that process has gone."""
    parent = os.environ.get("GONGHUI_WORKER_PARENT")
    return bool(parent) and os.getppid() != int(parent)


def scheduler_loop(stop: threading.Event, every: float) -> None:
    from gonghui.messaging import scheduler

    while not stop.is_set():
        if _parent_gone():
            logger.warning("the demo that started this worker has stopped; stopping")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        try:
            close_old_connections()
            started = scheduler.tick(timezone.now())
            if started:
                logger.info("periodic jobs queued: %s", ", ".join(started))
        except DatabaseError as exc:  # not migrated yet (the demo starts us beside migrate), or the database is away
            logger.warning("scheduler waits for the database: %s", exc)
        stop.wait(every)


class Command(BaseCommand):
    help = _("Send queued messages and run the periodic jobs (the task queue's worker).")

    def add_arguments(self, parser):
        parser.add_argument("--scheduler-only", action="store_true",
                            help=_("only queue the sweeps and periodic jobs (with Celery workers doing the work)"))
        parser.add_argument("--no-scheduler", action="store_true", help=_("only run queued tasks"))
        parser.add_argument("--every", type=float, default=5.0, help=_("seconds between sweeps of the outbox"))
        parser.add_argument("--interval", type=float, default=0.5, help=_("seconds between looks at the queue"))
        parser.add_argument("--batch", action="store_true", help=_("run what is queued, then stop"))

    def handle(self, *args, scheduler_only, no_scheduler, every, interval, batch, **options):
        stop = threading.Event()
        if batch:
            from gonghui.messaging import services

            self.stdout.write(str(services.send_due(limit=10_000)))
            self._run_queued_tasks()
            return
        if scheduler_only:
            scheduler_loop(stop, every)
            return
        thread = None
        if not no_scheduler:
            thread = threading.Thread(target=scheduler_loop, args=(stop, every), daemon=True, name="scheduler")
            thread.start()
        try:
            while True:
                try:
                    self._run_db_worker(interval, batch=False)
                    break
                except DatabaseError as exc:
                    logger.warning("worker waits for the database: %s", exc)
                    time.sleep(2)
        finally:
            stop.set()

    def _run_queued_tasks(self) -> None:
        """--batch: run the database queue's ready tasks in this process, then stop (the db worker's own
        loop, without its closing of database connections between tasks)."""
        if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
            return
        from django.utils.crypto import get_random_string
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult
        from django_tasks_db.utils import exclusive_transaction

        worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                        max_tasks=None, worker_id=get_random_string(32), excluded_queue_names=[])
        while True:
            tasks = DBTaskResult.objects.ready().filter(backend_name="default")
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(worker.worker_id)
            if task_result is None:
                return
            worker.run_task(task_result)

    def _run_db_worker(self, interval: float, *, batch: bool) -> None:
        if "DatabaseBackend" not in settings.TASKS["default"]["BACKEND"]:
            self.stdout.write("tasks run by the queue's own workers (e.g. celery); this one only schedules")
            return
        call_command("db_worker", interval=interval, batch=batch, startup_delay=False, reload=False,
                     verbosity=0, queue_name="*")
