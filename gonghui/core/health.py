"""``/health/``: is this instance fit to serve? For the load balancer, the service manager and monitoring.

Built on django-health-check (its check base class: a time budget per check, exceptions turned
into results and logged; its database and cache probes) with our own parts: the task queue, the
data folder's free space, the keys, the migrations. The answer is JSON, 200 when every part is
ok, 503 naming the failing parts. It is public, so it says which part failed and of what kind,
never why in detail (no host names, paths, fingerprints or personal data): the details go to the
log (logger ``health_check``).
"""

import asyncio
import dataclasses
import datetime
import shutil

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from health_check import checks as stock
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from . import keycheck


def _in_request_thread(function):
    # The request's own thread and database connection, not a pool thread's connection that
    # nobody closes (and which, under a test's transaction, would see another database state).
    return sync_to_async(function, thread_sensitive=True)


@dataclasses.dataclass
class Database(stock.Database):
    async def run(self):
        await _in_request_thread(super().run)()


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """The task queue takes work: with the embedded database queue, a task ready for longer than
    GONGHUI_HEALTH_QUEUE_STALE_SECONDS means no worker is running (``gonghui worker``), so no
    message goes out. Celery deployments watch their broker with their own tools."""

    async def run(self):
        await _in_request_thread(self._check)()

    def _check(self):
        if not apps.is_installed("django_tasks_db"):
            return
        from django_tasks_db.models import DBTaskResult, get_date_max

        cutoff = timezone.now() - datetime.timedelta(seconds=settings.GONGHUI_HEALTH_QUEUE_STALE_SECONDS)
        waiting = DBTaskResult.objects.ready().filter(
            Q(run_after__lte=cutoff) | Q(run_after=get_date_max(), enqueued_at__lte=cutoff)).count()
        if waiting:
            raise ServiceUnavailable(f"{waiting} tasks ready for more than "
                                     f"{settings.GONGHUI_HEALTH_QUEUE_STALE_SECONDS} s: is a worker running?")


@dataclasses.dataclass
class DiskSpace(HealthCheck):
    """Free space of the data folder (SQLite database, uploads, imports, backups)."""

    def run(self):
        folder = settings.DATA_DIR if settings.DATA_DIR.exists() else settings.DATA_DIR.parent
        free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
        if free_mb < settings.GONGHUI_HEALTH_MIN_FREE_MB:
            raise ServiceUnavailable(f"{free_mb} MB free, below GONGHUI_HEALTH_MIN_FREE_MB")


@dataclasses.dataclass
class Keys(HealthCheck):
    """Keys loaded, well-formed, and the ones this database was written with."""

    async def run(self):
        problems = await _in_request_thread(keycheck.check_keys)()
        if problems:
            raise ServiceUnavailable(" ".join(problems))


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of this version applied (an upgrade forgot ``gonghui migrate``)."""

    def _unapplied(self):
        # Every migration of the graph, not only the leaves: a gap below an applied leaf counts too.
        loader = MigrationLoader(connections["default"], ignore_no_migrations=True)
        return set(loader.graph.nodes) - set(loader.applied_migrations)

    async def run(self):
        unapplied = await _in_request_thread(self._unapplied)()
        if unapplied:
            raise ServiceUnavailable(f"{len(unapplied)} migrations not applied")


PARTS = {
    "database": Database(),
    "cache": stock.Cache(),
    "task_queue": TaskQueue(),
    "disk": DiskSpace(),
    "keys": Keys(),
    "migrations": Migrations(),
}


class HealthView(HealthCheckView):
    """JSON of each part; 503 with the failing ones named (the stock view answers 500 and HTML)."""

    async def get(self, request, *args, **kwargs):
        results = await asyncio.gather(*(check.get_result() for check in PARTS.values()))
        parts, failing = {}, []
        for name, result in zip(PARTS, results, strict=True):
            if result.error is None:
                parts[name] = {"status": "ok"}
                status = result.check.pretty_status()
                if status not in ("OK", "ok"):
                    parts[name]["detail"] = status
            else:
                parts[name] = {"status": "failing", "detail": result.error.message_type.lower()}
                failing.append(name)
        body = {"status": "failing" if failing else "ok", "failing": failing, "parts": parts}
        return JsonResponse(body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False})


health = HealthView.as_view()
