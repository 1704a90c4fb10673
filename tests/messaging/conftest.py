import pytest

from gonghui.core.notify import MemoryNotifier

from .notifiers import Flaky, Rejecting, Templates


@pytest.fixture(autouse=True)
def _empty_notifiers():
    for box in (MemoryNotifier.outbox, Flaky.sent, Rejecting.sent, Templates.sent):
        box.clear()
    Flaky.fail_next = 0
    yield
    for box in (MemoryNotifier.outbox, Flaky.sent, Rejecting.sent, Templates.sent):
        box.clear()


@pytest.fixture
def db_queue(settings):
    """The production set-up: the database task queue; nothing runs until a worker does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
