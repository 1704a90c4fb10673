"""Django's Tasks API on Celery (RabbitMQ or Redis as broker), for deployments with several machines.

    GONGHUI_TASKS_BACKEND=gonghui.messaging.celery_backend.CeleryBackend
    CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672//      (or redis://127.0.0.1:6379/0)
    celery -A gonghui.messaging.celery_backend worker           (on each machine)
    gonghui worker --scheduler-only                             (on one: sweeps and periodic jobs)

A task is sent to the broker after the transaction commits (the broker is not in the database
transaction; a message whose task is lost is still sent by the next sweep). Celery runs it through
one generic Celery task that imports the Django task by its dotted path. Results are not kept (the
outbox row is the record). Celery is imported only when this backend is configured.
"""

import os

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

try:  # Django 6 has the Tasks API built in; Django 5.2 uses the backport
    from django.tasks.backends.base import BaseTaskBackend
    from django.tasks.base import TaskResult, TaskResultStatus
    from django.tasks.signals import task_enqueued
    from django.tasks.utils import get_random_id
except ImportError:  # pragma: no cover - Django 5.2
    from django_tasks.backends.base import BaseTaskBackend
    from django_tasks.base import TaskResult, TaskResultStatus
    from django_tasks.signals import task_enqueued
    from django_tasks.utils import get_random_id

TASK_NAME = "gonghui.run_task"
_app = None


def celery_app():
    """The Celery application (one per process), configured from the environment."""
    global _app
    if _app is None:
        from celery import Celery

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings.production")
        broker = getattr(settings, "CELERY_BROKER_URL", "") or os.environ.get("CELERY_BROKER_URL", "")
        _app = Celery("gonghui", broker=broker or "amqp://guest:guest@127.0.0.1:5672//")
        _app.conf.update(task_default_queue="default", task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                         task_ignore_result=True, broker_connection_retry_on_startup=True)

        @_app.task(name=TASK_NAME)
        def run_task(path: str, args: list, kwargs: dict):
            return import_string(path).call(*args, **kwargs)

    return _app


class CeleryBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = True

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        result = TaskResult(task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=timezone.now(),
                            started_at=None, last_attempted_at=None, finished_at=None, args=list(args),
                            kwargs=dict(kwargs), backend=self.alias, errors=[], worker_ids=[])
        # Celery's priorities run 0-9 (RabbitMQ: higher first); Django's -100..100.
        priority = max(0, min(9, 5 + task.priority // 20))
        celery_app().send_task(TASK_NAME, args=[task.module_path, list(args), dict(kwargs)],
                               queue=task.queue_name, priority=priority)
        task_enqueued.send(type(self), task_result=result)
        return result


def __getattr__(name):  # `celery -A gonghui.messaging.celery_backend worker` looks for ``app``
    if name in {"app", "celery"}:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings.production")
        django.setup()
        return celery_app()
    raise AttributeError(name)
