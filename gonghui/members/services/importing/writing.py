"""Writing: one transaction, bulk inserts under a savepoint per batch, a history event per new or
changed member, and one audit record per import holding counts only. ``import_roster`` is the
command line's path through every step in one go.
"""

import contextlib
import dataclasses
import hashlib
import operator
import os
import time
from collections.abc import Callable, Iterator
from functools import lru_cache, partial

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import crypto
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.fields import BlindIndexField, EncryptedTextField
from gonghui.core.scoping import scopes_disabled

from ...models import Member, MemberEvent, MemberStatus, Source
from ..roster import EDITABLE, make_card_number
from .parsing import RowError, parse_table
from .planning import BATCH, ImportPlan, Progress, _collector_paused, plan_import
from .reading import ImportRefused, read_table


@dataclasses.dataclass
class ImportResult:
    counts: dict
    errors: list[RowError]
    seconds: float
    dry_run: bool = False


def _row_params(model) -> tuple[list[str], Callable[[dict], list]]:
    """(columns, params) to insert ``model`` rows from dicts by attribute name: ``params(row)`` is the
    row's database values in the columns' order.

    What ``bulk_create`` does for each value, minus its per-value dispatch (~70% of an import's
    time): plain text, numbers, booleans and keys go as they are; dates and datetimes through the
    backend's adapters; encrypted text through one AES-GCM sealer (a fresh nonce a value); any
    other field through its own get_db_prep_save.
    """
    ops = connection.ops
    columns, converters = [], []
    for index, field in enumerate(f for f in model._meta.concrete_fields if not f.primary_key):
        kind = type(field)
        columns.append(field.attname)
        if kind in (models.CharField, models.BooleanField, models.PositiveIntegerField, models.ForeignKey) or \
                isinstance(field, BlindIndexField):
            continue
        if kind is models.DateTimeField:
            convert = lru_cache(maxsize=64)(ops.adapt_datetimefield_value)  # one "now" for every row
        elif kind is models.DateField:
            convert = lru_cache(maxsize=4096)(ops.adapt_datefield_value)
        elif kind is EncryptedTextField:
            convert = partial(_sealed, crypto.sealer())
        else:
            convert = partial(field.get_db_prep_save, connection=connection)
        converters.append((index, convert))
    values_of = operator.itemgetter(*columns)

    def params(row: dict) -> list:
        values = list(values_of(row))
        for index, convert in converters:
            values[index] = convert(values[index])
        return values

    return columns, params


def _sealed(seal, value):
    # As EncryptedTextField.get_prep_value: empty stays empty (blank phone), anything else is sealed.
    return value if value is None or value == "" else seal(str(value))


def _insert_sql(model, columns) -> str:
    qn = connection.ops.quote_name
    names = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    # Names come from the model's metadata, every value is a parameter.
    return f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608


_CARD_SPACE = 10**10  # the ten random digits of a card number
_CARD_ACCEPT = (2**40 // _CARD_SPACE) * _CARD_SPACE  # 40 random bits below this map evenly onto them


def _card_numbers() -> Iterator[int]:
    """Uniform random numbers below 10**10 from the OS's generator, as ``secrets.randbelow`` draws
    them, but from 8 KiB of random bytes at a time instead of a system call per number."""
    while True:
        pool = os.urandom(5 * 1638)
        for i in range(0, len(pool), 5):
            value = int.from_bytes(pool[i:i + 5], "big")
            if value < _CARD_ACCEPT:  # rejection keeps the draw unbiased (1 in 110 is drawn again)
                yield value % _CARD_SPACE


def _insert_members(rows: list[dict], node, actor_id, progress: Progress | None, total: int) -> int:
    """Insert in batches. A card number already in the roster (anywhere in the country) is drawn
    again: each batch's numbers are looked up first, in one query. A person who became a member
    meanwhile stops the import (one active membership is a database constraint, so the race cannot
    slip through).

    SQLite lets one transaction write at a time and this is it, so nothing can take a number
    between the look-up and the insert. Elsewhere another transaction can: there each batch runs
    under a savepoint, and a number taken meanwhile is drawn again too. (Under a savepoint SQLite
    keeps a copy of every page the batch changes, a sixth of the insert's time.)
    """
    prefix = make_card_number(node=node)[:6]
    drawn: set[str] = set()
    numbers = _card_numbers()

    def draw() -> str:
        while True:
            card = f"{prefix}{next(numbers):010d}"
            if card not in drawn:
                drawn.add(card)
                return card

    guarded = connection.vendor != "sqlite"
    columns, params_of = _row_params(Member)
    sql = _insert_sql(Member, columns)
    now = timezone.now()
    done = 0
    for i in range(0, len(rows), BATCH):
        batch = rows[i:i + BATCH]
        for row in batch:
            row["card_number"] = draw()
            row["created_at"] = row["updated_at"] = now
        for _attempt in range(5):
            taken = _taken_cards(batch)
            if taken:
                for row in batch:
                    if row["card_number"] in taken:
                        row["card_number"] = draw()
                continue  # the new numbers are looked up too
            after_id = None if guarded else _last_member_id()
            try:
                with transaction.atomic(savepoint=guarded), connection.cursor() as cursor:
                    cursor.executemany(sql, [params_of(row) for row in batch])
                break
            except IntegrityError:
                if not guarded or _raced(batch) or not _taken_cards(batch):
                    raise ImportRefused("roster_changed", _("The roster changed while importing (someone added "
                                                            "the same person); run the import again.")) from None
        else:
            raise DomainError("card_number", _("Could not allocate a member card number; try again."))
        _joined_events(batch, node, actor_id, after_id)
        done += len(batch)
        if progress:
            progress("write", done, total)
    return done


def _taken_cards(batch: list[dict]) -> set[str]:
    with scopes_disabled():
        return set(Member.objects.filter(card_number__in=[r["card_number"] for r in batch])
                   .values_list("card_number", flat=True))


def _raced(batch: list[dict]) -> bool:
    with scopes_disabled():
        return Member.objects.filter(id_hash__in=[r["id_hash"] for r in batch], status=MemberStatus.ACTIVE).exists()


def _joined_events(batch: list[dict], node, actor_id, after_id: int | None = None) -> None:
    """A "joined" history event per new member, written by the database from the rows just inserted:
    with ``after_id`` (SQLite, where this transaction is the only writer) every member with a greater
    id, a range of the primary key; else the batch's members found by their ID hashes."""
    qn = connection.ops.quote_name
    events, members = MemberEvent._meta, Member._meta
    data = events.get_field("data").get_db_prep_save({"node": node.pk, "source": Source.IMPORT.value}, connection)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # A NULL parameter has no type in PostgreSQL's SELECT list; a literal NULL has.
    actor_sql, actor_params = ("%s", [actor_id]) if actor_id is not None else ("NULL", [])
    cols = ", ".join(qn(events.get_field(f).column) for f in ("member", "action", "on", "at", "actor", "reason", "data"))
    insert = (f"INSERT INTO {qn(events.db_table)} ({cols}) "  # noqa: S608  names from metadata, values as params
              f"SELECT {qn('id')}, %s, {qn('joined_on')}, %s, {actor_sql}, %s, %s FROM {qn(members.db_table)} ")
    values = [MemberEvent.Action.JOINED.value, now, *actor_params, "", data]
    if after_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(insert + f"WHERE {qn('id')} > %s AND {qn('node_id')} = %s", [*values, after_id, node.pk])
        return
    for i in range(0, len(batch), 900):
        hashes = [r["id_hash"] for r in batch[i:i + 900]]
        with connection.cursor() as cursor:
            cursor.execute(insert + f"WHERE {qn('status')} = %s AND {qn('id_hash')} IN ({', '.join(['%s'] * len(hashes))})",
                           [*values, MemberStatus.ACTIVE.value, *hashes])


def _last_member_id() -> int:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({qn('id')}) FROM {qn(Member._meta.db_table)}")  # noqa: S608  names from metadata
        return cursor.fetchone()[0] or 0


def _update_events(updates, actor) -> None:
    today = timezone.localdate()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    # Field names only: the history and the audit log must not become a second copy of personal data.
    MemberEvent.objects.bulk_create(
        [MemberEvent(member_id=m.pk, action=MemberEvent.Action.IMPORTED, on=today, actor_id=actor_id,
                     data={"fields": [f for f in changed if f in EDITABLE]}) for m, changed in updates],
        batch_size=BATCH)


@contextlib.contextmanager
def _page_cache():
    """SQLite keeps 2 MB of pages by default; 100,000 rows spread the member table's ten indexes over
    far more, and without room for them every insert reads pages back (a third of the write time).
    The connection gets 64 MB for the write, then its own setting back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -65536")  # negative: KiB
    try:
        yield
    finally:
        # On the driver's own connection: Django refuses queries in a transaction an error broke,
        # and SQLite takes this one whatever state the transaction is in.
        connection.connection.execute(f"PRAGMA cache_size = {previous}")


@transaction.atomic
def write_plan(*, actor, plan: ImportPlan, file_hash: str = "", progress: Progress | None = None) -> dict:
    node = plan.node
    total = len(plan.new) + len(plan.updates)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    with _page_cache():
        done = _insert_members(plan.new, node, actor_id, progress, total)
        now = timezone.now()
        by_fields: dict[tuple, list[Member]] = {}
        for member, changed in plan.updates:
            member.updated_at = now
            by_fields.setdefault(tuple(changed), []).append(member)
        for changed, members in by_fields.items():
            for i in range(0, len(members), BATCH):
                Member.objects.bulk_update(members[i:i + BATCH], [*changed, "updated_at"], batch_size=500)
                done += len(members[i:i + BATCH])
                if progress:
                    progress("write", done, total)
        _update_events(plan.updates, actor)
    counts = plan.counts()
    audit("members.import", actor=actor, obj=node, data={**counts, "file_sha256": file_hash})
    return counts


def check_target(*, actor, node) -> None:
    if actor is not None:
        require(actor, "members.import", node=node)
    if not node.is_active:
        raise DomainError("node_inactive", _("Members cannot be added to a merged or dissolved union."))


@_collector_paused()
def import_roster(*, actor, data: bytes, filename: str, node, dry_run: bool = False,
                  progress: Progress | None = None) -> ImportResult:
    """Read, validate and (unless ``dry_run``) write a roster file in one go: the command line's path."""
    started = time.perf_counter()
    check_target(actor=actor, node=node)
    parsed = parse_table(table=read_table(data=data, filename=filename))
    if progress:
        progress("read", parsed.data_rows, parsed.data_rows)
    plan = plan_import(parsed=parsed, node=node, progress=progress)
    counts = plan.counts() if dry_run else write_plan(plan=plan, actor=actor, progress=progress,
                                                      file_hash=hashlib.sha256(data).hexdigest())
    return ImportResult(counts=counts, errors=plan.errors, seconds=time.perf_counter() - started, dry_run=dry_run)
