"""Writes of the outbox: queue a message (in the caller's transaction), send one (claimed by exactly one
sender), retry with backoff, park, queue again, mark read.

Sending never happens in a request: ``queue_message`` writes the row and asks the task queue to deliver it;
the worker process (``gonghui worker``) does. The claim is a conditional UPDATE (queued/failed →
sending, one attempt more), so two senders never both send a row, on SQLite and PostgreSQL alike; a
row left "sending" by a sender that died is parked for staff, never sent again by itself.
"""

import datetime
import json
import logging
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import crypto, prepared
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import excerpt
from gonghui.core.phones import normalize_mobile

from . import senders
from .models import Message, State

logger = logging.getLogger("gonghui.messaging")

DUE_STATES = (State.QUEUED, State.FAILED)

# A message whose parameters are a secret (a sign-in code): never in an inbox, never shown to staff or
# logged, its parameters wiped once it is sent or given up, and not sent after the code has expired.
SIGN_IN_KIND = "sign_in_code"
SECRET_KINDS = {SIGN_IN_KIND}


def _local_tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- queueing ----------------------------------------------------------------------------------------

def check_params(*, params: dict) -> None:
    """Refuse a template parameter longer than the provider accepts, naming the limit."""
    limit = settings.GONGHUI_SMS_PARAM_MAX_CHARS
    for key, value in params.items():
        if limit and len(str(value)) > limit:
            raise DomainError("param_too_long",
                              _("The message's %(name)s has %(count)d characters; text messages allow at most "
                                "%(limit)d.") % {"name": key, "count": len(str(value)), "limit": limit}, field=key)


def queue_message(*, phone: str, text: str, kind: str, params: dict | None = None, urgent: bool = False,
                  dedupe_key: str = "", in_inbox: bool = True, strict: bool = False) -> Message:
    """Write one message to the outbox in the current transaction and have it delivered after commit.

    ``dedupe_key``: when a message with that key exists, it is returned and nothing is queued.
    A parameter over the provider's limit: with ``strict`` (a cadre's notice) the caller is refused;
    otherwise (a message caused by some other change, which must not fail because of it) the row is
    parked at once with the reason, for staff to see, and still shows in the worker's inbox.
    """
    params = {key: str(value) for key, value in (params or {}).items()}
    # No look-up of the key first: its unique index refuses a second row (then the first one is
    # returned below). Most keys are fresh (a booking's confirmation names the booking just made),
    # and the look-up was a statement more for every sign-up of a rush.
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        if strict:
            raise DomainError("bad_phone", _("Not a mainland mobile number."), field="phone") from exc
        phone = str(phone)
    refusal = ""
    if senders.sends_templates():
        try:
            check_params(params=params)
        except DomainError as exc:
            if strict:
                raise
            refusal = f"refused before queueing: parameter {exc.field} over {settings.GONGHUI_SMS_PARAM_MAX_CHARS}"
    phone_hash = crypto.blind_index(phone, purpose="phone")
    now = timezone.now()
    message = Message(kind=kind, phone=phone, phone_hash=phone_hash, text=text,
                      params=json.dumps(params, ensure_ascii=False), dedupe_key=dedupe_key or f"auto:{uuid.uuid4()}",
                      urgent=urgent, in_inbox=in_inbox and kind not in SECRET_KINDS, next_try_at=now,
                      state=State.PARKED if refusal else State.QUEUED, provider_answer=refusal, created_at=now)
    task = None if refusal else _delivery_task(message)
    # On PostgreSQL with the database queue, the task row is written by the message's own statement.
    with_row = task is not None and senders.queue_is_database() and connection.vendor == "postgresql"
    if not _insert(message, task if with_row else None):  # the same key queued before, or at the same moment
        return Message.objects.get(dedupe_key=message.dedupe_key)
    if task is not None and not with_row:
        _kick(message, task)
    return message


# The columns ``queue_message`` writes, in the order of _QUEUE_SQL; the worker with the number is found by
# the same statement (phone_hash is unique among workers).
_QUEUED_FIELDS = ("kind", "phone", "phone_hash", "text", "params", "dedupe_key", "urgent", "state", "attempts",
                  "next_try_at", "provider_answer", "created_at")
_QUEUE_SQL = (
    "INSERT INTO messaging_message (kind, phone, phone_hash, text, params, dedupe_key, urgent, state, attempts, "
    "next_try_at, provider_answer, created_at, worker_id, in_inbox) "
    "SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, w.id, %s AND w.id IS NOT NULL "
    "FROM (SELECT 1 AS one) AS one LEFT JOIN accounts_worker w ON w.phone_hash = %s WHERE true "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, worker_id, in_inbox")


def _insert(message: Message, task=None) -> bool:
    """The outbox row in one statement, in the caller's transaction: no ORM (its compile step, the
    worker's look-up and the savepoint cost a rushing sign-up more than the INSERT itself). A key
    already queued (the unique index) inserts nothing and returns False — no error, so no savepoint
    is needed to keep the caller's transaction alive; a concurrent INSERT of the same key waits for
    the other transaction and then inserts nothing. Each value is prepared by its model field (the
    encrypted columns are encrypted as ``save()`` does).

    With ``task`` (PostgreSQL, the database queue) the same statement writes the delivery's task row
    too, naming the new message's id, and writes none when the key was queued before: one round
    trip less for every sign-up of a rush."""
    fields = [Message._meta.get_field(name) for name in _QUEUED_FIELDS]
    values = [f.get_db_prep_save(getattr(message, f.attname), connection) for f in fields]
    sql, params = _QUEUE_SQL, [*values, message.in_inbox, message.phone_hash]
    if task is not None:
        columns, task_values = _task_row(task, None)
        sql = _task_sql("with message")
        params += [v for c, v in zip(columns, task_values, strict=True) if c != "args_kwargs"]
    with prepared.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    if row is None:
        return False
    message.pk, message.worker_id, message.in_inbox = row[0], row[1], bool(row[2])
    message._state.adding, message._state.db = False, connection.alias
    return True


def queue_from_notify(*, phone, text, kind, params, urgent, dedupe_key) -> Message:
    """``gonghui.core.notify.notify`` writes here (registered by the app)."""
    return queue_message(phone=phone, text=text, kind=kind, params=params, urgent=urgent, dedupe_key=dedupe_key)


# The task row's arguments as the backend writes them (``{"args": [id], "kwargs": {}}``), from the message
# written by the same statement.
_TASK_ARGS = "jsonb_build_object('args', jsonb_build_array(m.id), 'kwargs', '{}'::jsonb)"


def _delivery_task(message: Message):
    from . import tasks

    return tasks.deliver.using(priority=10) if message.urgent else tasks.deliver


def _kick(message: Message, task=None) -> None:
    """Ask the task queue to deliver the message. With the database backend the task row is written in
    the same transaction as the message; with any other (Celery, in-process) after commit. Either way a
    message whose task is lost is still sent by the next sweep (``send_due``)."""
    task = task or _delivery_task(message)
    if senders.queue_is_database():
        _enqueue_row(task, message.pk)
    else:
        transaction.on_commit(lambda: task.enqueue(message.pk), robust=True)


def _task_row(task, *args) -> tuple[list[str], list]:
    """The database backend's task row, as its ``enqueue`` writes it (the same values, the model's
    defaults for the rest): its columns and their values, prepared by the model's fields."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task.get_backend()
    row = DBTaskResult(id=DBTaskResult._meta.pk.get_default(), args_kwargs={"args": list(args), "kwargs": {}},
                       priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                       run_after=task.run_after or get_date_max(), backend_name=backend.alias,
                       enqueued_at=timezone.now())
    fields = DBTaskResult._meta.concrete_fields
    return ([f.column for f in fields],
            [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields])


def _enqueue_row(task, *args) -> None:
    """The task row in one plain INSERT: its ORM create cost a rushing sign-up more than the
    statement. The backend's ``task_enqueued`` signal (a debug log line) is not sent."""
    _columns, values = _task_row(task, *args)
    with connection.cursor() as cur:
        cur.execute(_task_sql("alone"), values)


def _task_sql(form: str) -> str:
    """The task row's INSERT, made once per database vendor and form: ``alone`` (its values), or
    ``with message`` (the message's INSERT and the task row naming its id, one statement)."""
    key = (connection.vendor, form)
    if key not in _TASK_SQL:
        from django_tasks_db.models import DBTaskResult

        qn = connection.ops.quote_name
        columns = [f.column for f in DBTaskResult._meta.concrete_fields]
        into = f"INSERT INTO {qn(DBTaskResult._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        if form == "alone":
            _TASK_SQL[key] = into + f"VALUES ({', '.join(['%s'] * len(columns))})"
        else:
            select = ", ".join(_TASK_ARGS if c == "args_kwargs" else "%s" for c in columns)
            _TASK_SQL[key] = (f"WITH m AS ({_QUEUE_SQL}), t AS ({into}SELECT {select} FROM m) "  # noqa: S608  names from metadata
                              "SELECT id, worker_id, in_inbox FROM m")
    return _TASK_SQL[key]


_TASK_SQL: dict[tuple[str, str], str] = {}


# --- sending -----------------------------------------------------------------------------------------

def _quiet_until(now: datetime.datetime) -> datetime.datetime | None:
    """The end of the quiet hours when ``now`` falls inside them (local time), else None."""
    spec = settings.GONGHUI_MESSAGING_QUIET_HOURS
    if not spec:
        return None
    start_text, end_text = spec.split("-")
    start, end = datetime.time.fromisoformat(start_text), datetime.time.fromisoformat(end_text)
    local = now.astimezone(_local_tz())
    clock = local.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=_local_tz())


def _over_daily_cap(message: Message, now: datetime.datetime) -> datetime.datetime | None:
    """The next morning, when the number has had its day's share of non-urgent messages."""
    cap = settings.GONGHUI_MESSAGING_DAILY_CAP
    if not cap:
        return None
    local = now.astimezone(_local_tz())
    midnight = datetime.datetime.combine(local.date(), datetime.time(0), tzinfo=_local_tz())
    sent_today = Message.objects.filter(phone_hash=message.phone_hash, state=State.SENT, urgent=False,
                                        sent_at__gte=midnight).count()
    if sent_today < cap:
        return None
    morning = _quiet_until(midnight) or midnight  # after the quiet hours of the next night, if any
    return morning + datetime.timedelta(days=1)


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(settings.GONGHUI_MESSAGING_RETRY_SECONDS * 2 ** (attempts - 1), 3600))


def deliver_message(*, message_id: int) -> str:
    """Send one message if it is due and this sender wins its claim; returns what happened."""
    now = timezone.now()
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.state not in DUE_STATES:
        return "not-due"
    if message.next_try_at > now:
        return "later"
    if message.kind == SIGN_IN_KIND and \
            message.created_at + datetime.timedelta(seconds=settings.GONGHUI_OTP_TTL_SECONDS) <= now:
        Message.objects.filter(pk=message.pk, state__in=DUE_STATES).update(
            state=State.PARKED, params="{}", provider_answer="not sent: the code expired before it could go")
        return State.PARKED
    if not message.urgent:
        hold = _quiet_until(now) or _over_daily_cap(message, now)
        if hold is not None:
            Message.objects.filter(pk=message.pk, state__in=DUE_STATES).update(next_try_at=hold)
            return "held"
    claimed = Message.objects.filter(pk=message.pk, state__in=DUE_STATES, next_try_at__lte=now).update(
        state=State.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return "taken"
    message.refresh_from_db()
    try:
        senders.send(message)
    except senders.SmsRejected as exc:
        return _finish(message, State.PARKED, f"{exc.provider_code}: {exc.provider_message}")
    except Exception as exc:  # noqa: BLE001 - a provider or network failure: try again later
        answer = f"{getattr(exc, 'provider_code', '') or type(exc).__name__}: " \
                 f"{getattr(exc, 'provider_message', '') or exc}"
        if message.attempts >= settings.GONGHUI_MESSAGING_MAX_ATTEMPTS:
            return _finish(message, State.PARKED, f"after {message.attempts} attempts: {answer}")
        return _finish(message, State.FAILED, answer, next_try_at=timezone.now() + _backoff(message.attempts))
    return _finish(message, State.SENT, "OK")


def _finish(message: Message, state: str, answer: str, next_try_at=None) -> str:
    if message.kind in SECRET_KINDS:  # a provider's answer may quote the parameters it refused
        for value in json.loads(message.params or "{}").values():
            answer = answer.replace(str(value), "******") if value else answer
    # The provider's answer is theirs, not a person's text: kept as a visible excerpt (ending in "…"
    # when cut) of what the field holds; refusing it would lose the outcome of the send.
    answer = excerpt(answer, Message, "provider_answer")
    fields = {"state": state, "provider_answer": answer}
    if message.kind in SECRET_KINDS and state in (State.SENT, State.PARKED):
        fields["params"] = "{}"
    if state == State.SENT:
        fields["sent_at"] = timezone.now()
    if next_try_at is not None:
        fields["next_try_at"] = next_try_at
    Message.objects.filter(pk=message.pk, state=State.SENDING).update(**fields)
    if state == State.PARKED:
        logger.error("message %s (%s) parked: %s", message.pk, message.kind, answer)
    return state


def park_abandoned(*, now: datetime.datetime | None = None) -> int:
    """Park messages whose sender died between claiming and recording (it may or may not have gone
    out): never resent by itself; staff check and queue it again if need be."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.GONGHUI_MESSAGING_LEASE_SECONDS)
    return Message.objects.filter(state=State.SENDING, claimed_at__lt=stale).update(
        state=State.PARKED, provider_answer="interrupted while sending: not resent automatically")


def send_due(*, limit: int = 200) -> dict[str, int]:
    """The sweep: park abandoned sends, then send the due messages (urgent first), one claim each."""
    counts: dict[str, int] = {"parked-abandoned": park_abandoned()}
    now = timezone.now()
    with transaction.atomic():
        due = list(Message.objects.select_for_update(skip_locked=True)
                   .filter(state__in=DUE_STATES, next_try_at__lte=now)
                   .order_by("-urgent", "next_try_at", "pk").values_list("pk", flat=True)[:limit])
    for pk in due:
        # An urgent message (a sign-in code) queued while this sweep works through a long batch goes
        # before the batch's next message, not after it.
        for urgent_pk in _due_urgent():
            outcome = deliver_message(message_id=urgent_pk)
            counts[outcome] = counts.get(outcome, 0) + 1
        outcome = deliver_message(message_id=pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def _due_urgent() -> list[int]:
    return list(Message.objects.filter(state__in=DUE_STATES, urgent=True, next_try_at__lte=timezone.now())
                .order_by("next_try_at", "pk").values_list("pk", flat=True)[:50])


# --- staff and workers ---------------------------------------------------------------------------------

def requeue_message(*, actor, message: Message) -> Message:
    """Queue a parked message again (staff, after checking the reason)."""
    from .selectors import can_see_outbox

    if not can_see_outbox(actor):
        from gonghui.core.errors import NotPermitted

        raise NotPermitted("messaging.requeue")
    with transaction.atomic():
        updated = Message.objects.filter(pk=message.pk, state=State.PARKED).update(
            state=State.QUEUED, next_try_at=timezone.now(), attempts=0, provider_answer="")
        if not updated:
            raise DomainError("not_parked", _("Only a parked message can be queued again."))
        audit("messaging.message.requeued", actor=actor, obj=message, data={"kind": message.kind})
        message.refresh_from_db()
        _kick(message)
    return message


def mark_read(*, worker, message_ids=None) -> int:
    """Mark the worker's own inbox messages read (all of them without ``message_ids``)."""
    rows = Message.objects.filter(worker=worker, in_inbox=True, read_at__isnull=True)
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    return rows.update(read_at=timezone.now())

