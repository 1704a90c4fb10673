"""The messaging tasks (Django's Tasks API, django-tasks backport): run by `gonghui worker` with the
database backend, or by Celery workers (docs/messaging.md)."""

import io

from django.core.management import call_command

try:  # Django 6 has the Tasks API built in; Django 5.2 uses the backport
    from django.tasks import task
except ImportError:  # pragma: no cover - Django 5.2
    from django_tasks import task

from . import services


@task(priority=0)
def deliver(message_id: int) -> str:
    return services.deliver_message(message_id=message_id)


@task()
def sweep() -> dict:
    return services.send_due()


@task()
def run_job(name: str) -> str:
    """A periodic job (the same command cron or a systemd timer would run)."""
    from .scheduler import JOBS

    args = next((job.args for job in JOBS if job.name == name), ())
    out = io.StringIO()
    call_command(name.replace("-", "_"), *args, stdout=out)
    return out.getvalue()[-2000:]
