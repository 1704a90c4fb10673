"""The outbox row and its task row written without the ORM (one INSERT each): the same rows the model
would write, the worker with the number found by the statement, a key queued twice one row and the
caller's transaction still usable, the database queue's task row read by its backend and run."""

import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.notify import notify
from gonghui.messaging.models import Message, State

from .notifiers import Flaky

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "13812345678"


def _worker(phone=PHONE):
    return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def test_the_row_names_the_worker_with_the_number_and_reads_back_as_written(db_queue):
    worker = _worker()
    with transaction.atomic():
        notify(phone=PHONE, text="您已报名成功", kind="booking_confirmed", params={"title": "插花课"},
               dedupe_key="booked:1")
        notify(phone="13900000000", text="无此职工", kind="general", dedupe_key="nobody:1")
    mine, other = Message.objects.get(dedupe_key="booked:1"), Message.objects.get(dedupe_key="nobody:1")
    assert mine.worker == worker and mine.in_inbox and mine.state == State.QUEUED and mine.attempts == 0
    assert mine.phone == PHONE and mine.text == "您已报名成功" and json.loads(mine.params) == {"title": "插花课"}
    assert mine.next_try_at == mine.created_at and mine.provider_answer == ""
    assert other.worker is None and not other.in_inbox  # no worker has the number: no inbox
    with connection.cursor() as cur:  # encrypted at rest as the model's save() encrypts
        cur.execute("SELECT phone, text FROM messaging_message WHERE dedupe_key = %s", ["booked:1"])
        raw = cur.fetchone()
    assert PHONE not in raw[0] and "报名" not in raw[1]


def test_a_key_queued_twice_in_one_transaction_is_one_row_and_the_transaction_goes_on(db_queue):
    from django_tasks_db.models import DBTaskResult

    _worker()
    with transaction.atomic():
        notify(phone=PHONE, text="座位已保留", kind="seat_offer", dedupe_key="offer:7")
        with CaptureQueriesContext(connection) as q:
            notify(phone=PHONE, text="座位已保留", kind="seat_offer", dedupe_key="offer:7")
        # No error inside the transaction (PostgreSQL would have aborted it), so no savepoint.
        assert not any(x["sql"].startswith("SAVEPOINT") for x in q.captured_queries)
        Worker.objects.count()  # the transaction is still usable
    assert Message.objects.filter(dedupe_key="offer:7").count() == 1
    assert DBTaskResult.objects.count() == 1  # the duplicate asked for no second delivery


def test_the_task_row_is_the_backends_own_and_the_worker_sends_it(db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    from django_tasks_db.models import DBTaskResult

    from gonghui.messaging import tasks

    with transaction.atomic():
        notify(phone=PHONE, text="验证码 123456", kind="general", urgent=True, dedupe_key="urgent:1")
        notify(phone=PHONE, text="您已报名成功", kind="booking_confirmed", dedupe_key="booked:2")
    urgent, plain = (Message.objects.get(dedupe_key=k) for k in ("urgent:1", "booked:2"))
    rows = {r.args_kwargs["args"][0]: r for r in DBTaskResult.objects.all()}
    assert set(rows) == {urgent.pk, plain.pk}
    for row in rows.values():
        result = tasks.deliver.get_backend().get_result(str(row.id))
        assert result.status == "READY" and result.task.func is tasks.deliver.func
        assert result.args == [row.args_kwargs["args"][0]] and result.kwargs == {}
    assert rows[urgent.pk].priority == 10 and rows[plain.pk].priority == 0  # urgent first
    assert Flaky.sent == []
    call_command("worker", "--batch")
    assert sorted(Flaky.sent) == sorted([(PHONE, "验证码 123456"), (PHONE, "您已报名成功")])
    assert set(Message.objects.values_list("state", flat=True)) == {State.SENT}


def test_on_postgresql_the_message_and_its_task_row_are_one_statement(db_queue):
    from django_tasks_db.models import DBTaskResult

    _worker()
    with transaction.atomic(), CaptureQueriesContext(connection) as q:
        notify(phone=PHONE, text="您已报名成功", kind="booking_confirmed", dedupe_key="booked:9")
    written = [x["sql"] for x in q.captured_queries if x["sql"].lstrip().upper().startswith(("INSERT", "WITH"))]
    # One round trip less for every winner of a rush; SQLite (no INSERT in a WITH) writes two.
    assert len(written) == (1 if connection.vendor == "postgresql" else 2), written
    message = Message.objects.get(dedupe_key="booked:9")
    (row,) = DBTaskResult.objects.all()
    assert row.args_kwargs == {"args": [message.pk], "kwargs": {}} and row.status == "READY"
