"""The outbox: a row in the change's transaction, sent by the worker (never in the request), exactly once,
with retries, backoff, parking, quiet hours and a daily cap."""

import datetime
import json
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.core.notify import MemoryNotifier, notify
from gonghui.messaging import scheduler, services
from gonghui.messaging.models import Message, ScheduledRun, State

from .notifiers import Flaky, Templates

pytestmark = pytest.mark.django_db
BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
PHONE = "13812345678"


def _worker(phone=PHONE):
    return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def test_notify_writes_a_row_in_the_changes_transaction_and_a_rollback_leaves_none(django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(phone=PHONE, text="您的申请已通过", kind="member_approved", params={"union": "城关镇总工会"})
        raise RuntimeError("the change fails")
    assert not Message.objects.exists() and MemoryNotifier.outbox == []

    worker = _worker()
    with django_capture_on_commit_callbacks(execute=True):
        notify(phone=PHONE, text="您的申请已通过", kind="member_approved", params={"union": "城关镇总工会"})
    message = Message.objects.get()
    assert message.state == State.SENT and message.attempts == 1 and message.worker == worker
    assert message.kind == "member_approved" and json.loads(message.params) == {"union": "城关镇总工会"}
    assert MemoryNotifier.outbox == [(PHONE, "您的申请已通过")]


def test_personal_data_is_stored_encrypted(db):
    from django.db import connection

    services.queue_message(phone=PHONE, text="个案 ABC 已受理", kind="general")
    with connection.cursor() as cursor:
        cursor.execute("select phone, text from messaging_message")
        raw = cursor.fetchone()
    assert PHONE not in raw[0] and "ABC" not in raw[1]


def test_nothing_is_sent_in_the_request_with_the_database_queue_the_worker_sends_it(db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        services.queue_message(phone=PHONE, text="您已报名成功", kind="booking_confirmed")
    assert Flaky.sent == [] and Message.objects.get().state == State.QUEUED
    assert DBTaskResult.objects.count() == 1  # the task row was written with the message
    call_command("worker", "--batch")
    assert Flaky.sent == [(PHONE, "您已报名成功")] and Message.objects.get().state == State.SENT
    call_command("worker", "--batch")
    assert len(Flaky.sent) == 1  # a second worker run sends nothing again


def test_the_same_dedupe_key_is_one_message_sent_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.queue_message(phone=PHONE, text="座位已保留", kind="seat_offer", dedupe_key="offer:7")
        again = services.queue_message(phone=PHONE, text="座位已保留", kind="seat_offer", dedupe_key="offer:7")
    assert first.pk == again.pk and Message.objects.count() == 1
    assert services.deliver_message(message_id=first.pk) == "not-due"  # already sent: a second delivery does nothing
    assert len(MemoryNotifier.outbox) == 1


def test_two_senders_racing_for_one_message_send_it_once(db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    # The second sender read the row as due, but the first has claimed it in between.
    Message.objects.filter(pk=message.pk).update(state=State.SENDING, claimed_at=timezone.now())
    assert services.deliver_message(message_id=message.pk) == "not-due"
    Message.objects.filter(pk=message.pk).update(state=State.QUEUED)
    assert services.deliver_message(message_id=message.pk) == State.SENT
    assert services.deliver_message(message_id=message.pk) == "not-due"
    assert len(Flaky.sent) == 1


def test_a_failing_provider_is_retried_with_growing_delays_then_parked_with_its_reason(db_queue, settings, clock):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    settings.GONGHUI_MESSAGING_MAX_ATTEMPTS = 3
    settings.GONGHUI_MESSAGING_RETRY_SECONDS = 30
    clock.move_to("2026-03-02T10:00:00")
    Flaky.fail_next = 10
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    assert services.deliver_message(message_id=message.pk) == State.FAILED
    message.refresh_from_db()
    first_wait = message.next_try_at - timezone.now()
    assert datetime.timedelta(seconds=28) < first_wait <= datetime.timedelta(seconds=30)
    assert "isv.BUSINESS_LIMIT_CONTROL" in message.provider_answer
    assert services.deliver_message(message_id=message.pk) == "later"  # not before its time
    clock.move_to("2026-03-02T10:00:31")
    assert services.deliver_message(message_id=message.pk) == State.FAILED
    message.refresh_from_db()
    assert datetime.timedelta(seconds=58) < message.next_try_at - timezone.now() <= datetime.timedelta(seconds=60)
    clock.move_to("2026-03-02T10:02:00")
    assert services.send_due() == {"parked-abandoned": 0, State.PARKED: 1}
    message.refresh_from_db()
    assert message.state == State.PARKED and message.attempts == 3
    assert message.provider_answer.startswith("after 3 attempts: isv.BUSINESS_LIMIT_CONTROL")
    assert Flaky.sent == []


def test_a_retry_that_goes_through_is_sent_once(db_queue, settings, clock):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    clock.move_to("2026-03-02T10:00:00")
    Flaky.fail_next = 1
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    assert services.send_due()[State.FAILED] == 1
    clock.move_to("2026-03-02T10:01:00")
    assert services.send_due()[State.SENT] == 1
    assert services.send_due() == {"parked-abandoned": 0}
    assert Flaky.sent == [(PHONE, "x")] and Message.objects.get(pk=message.pk).attempts == 2


def test_a_refusal_of_the_provider_parks_at_once(db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Rejecting"
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    assert services.deliver_message(message_id=message.pk) == State.PARKED
    message.refresh_from_db()
    assert message.attempts == 1 and message.provider_answer == "isv.SMS_TEMPLATE_ILLEGAL: template not approved"


@pytest.mark.parametrize("moment, urgent, outcome, until", [
    ("2026-03-02T22:30:00", False, "held", "2026-03-03T08:00:00"),
    ("2026-03-03T06:59:00", False, "held", "2026-03-03T08:00:00"),
    ("2026-03-02T22:30:00", True, State.SENT, None),   # a sign-in code, an urgent notice
    ("2026-03-03T08:00:00", False, State.SENT, None),
])
def test_quiet_hours_hold_non_urgent_messages_until_eight(db_queue, settings, clock, moment, urgent, outcome, until):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    settings.GONGHUI_MESSAGING_QUIET_HOURS = "22:00-08:00"
    clock.move_to(moment)
    message = services.queue_message(phone=PHONE, text="x", kind="general", urgent=urgent)
    assert services.deliver_message(message_id=message.pk) == outcome
    message.refresh_from_db()
    if until:
        assert message.next_try_at == datetime.datetime.fromisoformat(until).replace(tzinfo=BEIJING)
        assert message.state == State.QUEUED and message.attempts == 0 and Flaky.sent == []


def test_the_daily_cap_holds_the_rest_until_the_next_morning(db_queue, settings, clock):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    settings.GONGHUI_MESSAGING_DAILY_CAP = 2
    settings.GONGHUI_MESSAGING_QUIET_HOURS = "22:00-08:00"
    clock.move_to("2026-03-02T15:00:00")
    rows = [services.queue_message(phone=PHONE, text=f"第{i}条", kind="general") for i in range(3)]
    other = services.queue_message(phone="13900001111", text="别人的", kind="general")
    assert [services.deliver_message(message_id=m.pk) for m in rows] == [State.SENT, State.SENT, "held"]
    assert services.deliver_message(message_id=other.pk) == State.SENT  # the cap is per number
    rows[2].refresh_from_db()
    assert rows[2].next_try_at == datetime.datetime(2026, 3, 3, 8, 0, tzinfo=BEIJING)
    clock.move_to("2026-03-03T08:00:01")
    assert services.deliver_message(message_id=rows[2].pk) == State.SENT


def test_a_parameter_over_the_providers_limit(db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Templates"
    long_title = "职工" * 18  # 36 characters
    with pytest.raises(DomainError) as refused:  # a cadre's own text: refused with the limit named
        services.queue_message(phone=PHONE, text="x", kind="notice", params={"title": long_title}, strict=True)
    assert refused.value.code == "param_too_long" and "35" in refused.value.message
    assert not Message.objects.exists()
    # Caused by another change (which goes ahead): parked at once with the reason, never sent.
    message = services.queue_message(phone=PHONE, text="x", kind="booking_confirmed", params={"title": long_title})
    assert message.state == State.PARKED and "title over 35" in message.provider_answer
    call_command("worker", "--batch")
    assert Templates.sent == []


def test_a_template_notifier_gets_the_kind_and_parameters_not_the_text(db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Templates"
    services.queue_message(phone=PHONE, text="您报名的“插花课”明天开课", kind="session_reminder", params={"title": "插花课"})
    call_command("worker", "--batch")
    assert Templates.sent == [(PHONE, "session_reminder", {"title": "插花课"})]


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(db_queue, settings, clock):
    """Five messages; the worker sent two, claimed the third and died before recording it. On restart
    the two unsent go out, the two sent stay sent, and the one in doubt is parked for staff, not resent."""
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    clock.move_to("2026-03-02T10:00:00")
    rows = [services.queue_message(phone=f"1390000{i:04d}", text=f"m{i}", kind="general") for i in range(5)]
    services.deliver_message(message_id=rows[0].pk)
    services.deliver_message(message_id=rows[1].pk)
    Message.objects.filter(pk=rows[2].pk).update(state=State.SENDING, attempts=1, claimed_at=timezone.now())
    clock.move_to("2026-03-02T10:05:00")  # the restarted worker, after the lease
    call_command("worker", "--batch")
    states = dict(Message.objects.values_list("pk", "state"))
    assert [states[m.pk] for m in rows] == [State.SENT, State.SENT, State.PARKED, State.SENT, State.SENT]
    assert sorted(text for _phone, text in Flaky.sent) == ["m0", "m1", "m3", "m4"]
    assert "interrupted while sending" in Message.objects.get(pk=rows[2].pk).provider_answer


def test_a_send_still_within_its_lease_is_left_alone(db_queue, settings, clock):
    clock.move_to("2026-03-02T10:00:00")
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    Message.objects.filter(pk=message.pk).update(state=State.SENDING, claimed_at=timezone.now())
    assert services.park_abandoned() == 0
    assert Message.objects.get(pk=message.pk).state == State.SENDING


def test_staff_queue_a_parked_message_again(tree, db_queue, settings):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    Message.objects.filter(pk=message.pk).update(state=State.PARKED, provider_answer="interrupted")
    from gonghui.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.requeue_message(actor=tree.users["b_admin"], message=message)
    services.requeue_message(actor=tree.users["a_admin"], message=message)
    call_command("worker", "--batch")
    assert Flaky.sent == [(PHONE, "x")]
    with pytest.raises(DomainError):
        services.requeue_message(actor=tree.users["a_admin"], message=message)


def test_the_scheduler_runs_each_periodic_job_once_per_slot(db_queue, clock):
    from django_tasks_db.models import DBTaskResult

    clock.move_to("2026-03-02T09:05:00")  # a Monday
    started = scheduler.tick(timezone.now())
    assert sorted(started) == ["activities-expire-offers", "aid-reminders", "messaging-reminders", "rights-digest"]
    assert scheduler.tick(timezone.now()) == []  # same slots: nothing again
    clock.move_to("2026-03-02T09:11:00")
    assert sorted(scheduler.tick(timezone.now())) == ["activities-expire-offers", "messaging-reminders",
                                                      "registration-reminders"]
    clock.move_to("2026-03-07T09:30:00")  # Saturday: no digest
    assert "rights-digest" not in scheduler.tick(timezone.now())
    assert ScheduledRun.objects.filter(job="rights-digest").count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="run_job").count() == 11
    call_command("worker", "--batch")  # the jobs themselves run (nothing is due in an empty county)
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").filter(task_path__endswith="run_job").exists()
