"""The distributed set-up once for real: the Tasks API on Celery with RabbitMQ at 127.0.0.1:5672 (guest/guest),
or Redis at 127.0.0.1:6379 when RabbitMQ is not there; a Celery worker runs in a thread of this process."""

import os
import socket
import time

import pytest
from django.db import transaction

from gonghui.messaging import celery_backend, services
from gonghui.messaging.models import Message, State

from .notifiers import Flaky


def _open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _broker() -> str:
    if os.environ.get("GONGHUI_TEST_BROKER_URL"):  # CI gives its parallel PostgreSQL run a virtual host of its own
        return os.environ["GONGHUI_TEST_BROKER_URL"]
    if _open(5672):
        return "amqp://guest:guest@127.0.0.1:5672//"
    if _open(6379):
        return "redis://127.0.0.1:6379/13"
    return ""


@pytest.mark.django_db(transaction=True)
def test_a_message_goes_out_through_celery(settings):
    pytest.importorskip("celery", reason="Celery is the optional distributed set-up (docs/messaging.md)")
    broker = _broker()
    if not broker:
        pytest.skip("neither RabbitMQ (127.0.0.1:5672) nor Redis (127.0.0.1:6379) runs on this machine")
    from celery.contrib.testing.worker import start_worker
    from celery.worker import state

    settings.CELERY_BROKER_URL = broker
    settings.TASKS = {"default": {"BACKEND": "gonghui.messaging.celery_backend.CeleryBackend"}}
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    celery_backend._app = None
    app = celery_backend.celery_app()
    app.control.purge()  # anything left on the queue by an interrupted earlier run
    # The worker's event loop sleeps in its poll until the next timer or message (about 10 s when idle) and
    # only then sees that it should stop: the control ping below wakes it at once. The generous timeout
    # is for a machine busy with a parallel test run, where the thread's exit was seen to take over 10 s.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=90):
        with transaction.atomic():
            message = services.queue_message(phone="13812345678", text="经由 Celery 发送", kind="general")
            assert Message.objects.get(pk=message.pk).state == State.QUEUED  # nothing before commit
        # Polled in memory, not in the database: the test's SQLite database is shared in memory between
        # this thread and the worker's, where a read at the moment the worker writes the state makes the
        # write fail at once ("database table is locked"; seen once under a parallel run's load).
        for _ in range(900):  # the worker thread takes a while to start consuming on a busy machine (90 s)
            if Flaky.sent:
                break
            time.sleep(0.1)
        state.should_terminate = 0
        app.control.ping(timeout=0.5)
    celery_backend._app = None
    assert Message.objects.get(pk=message.pk).state == State.SENT
    assert Flaky.sent == [("13812345678", "经由 Celery 发送")]
