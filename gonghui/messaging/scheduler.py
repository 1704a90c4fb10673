"""The periodic jobs, on the same queue as the messages (docs/messaging.md).

Each job has a schedule in local (Beijing) time; ``due_jobs(now)`` names the slots that have come
and ``claim`` records a slot once (a unique row), so two schedulers, or a restarted one, never run the
same slot twice. The commands stay for cron and the systemd timers (deploy/systemd/).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import ScheduledRun


@dataclass(frozen=True)
class Job:
    name: str                      # the gonghui command
    every_minutes: int = 0         # run every N minutes, or
    at: datetime.time | None = None  # once a day at this local time
    weekdays_only: bool = False
    args: tuple[str, ...] = ()     # the command's arguments (the digest is sent, not only printed)


JOBS = [
    Job("activities-expire-offers", every_minutes=5),
    Job("messaging-reminders", every_minutes=5),
    Job("aid-reminders", at=datetime.time(9, 0)),
    Job("registration-reminders", at=datetime.time(9, 10)),
    Job("rights-digest", at=datetime.time(8, 30), weekdays_only=True, args=("--send",)),
]


def _slot(job: Job, local: datetime.datetime) -> str | None:
    if job.every_minutes:
        minute = (local.hour * 60 + local.minute) // job.every_minutes * job.every_minutes
        return f"{local:%Y-%m-%d}T{minute // 60:02d}:{minute % 60:02d}"
    if job.weekdays_only and local.weekday() >= 5:
        return None
    if local.time() >= job.at:
        return f"{local:%Y-%m-%d}"
    return None


def due_jobs(now: datetime.datetime) -> list[tuple[Job, str]]:
    local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    slots = [(job, _slot(job, local)) for job in JOBS]
    return [(job, slot) for job, slot in slots if slot is not None]


def claim(job: Job, slot: str) -> bool:
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job.name, slot=slot)
    except IntegrityError:
        return False
    return True


def tick(now: datetime.datetime) -> list[str]:
    """Enqueue the due jobs not yet run in their slot and a sweep of the outbox; returns the jobs enqueued."""
    from . import tasks

    started = []
    for job, slot in due_jobs(now):
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists() or not claim(job, slot):
            continue
        tasks.run_job.enqueue(job.name)
        started.append(job.name)
    tasks.sweep.enqueue()
    return started
