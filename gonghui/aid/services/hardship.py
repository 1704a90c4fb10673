"""The hardship registry (困难职工档案): register, review every year, document, exit — with history.

Personal and medical details are for aid officers (admin, clerk, reviewer) of the subtree and the
worker themself; opening a file is audited like an edit.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import check_length, limit_of
from gonghui.core.notify import notify
from gonghui.core.phones import normalize_mobile
from gonghui.core.text import clean_line, clean_name, clean_person_name
from gonghui.core.uploads import IMAGE, PDF, check_upload, store
from gonghui.members.selectors import id_hash, phone_hash
from gonghui.members.validation import clean_person

from ..models import (
    HardshipCause,
    HardshipDocument,
    HardshipEvent,
    HardshipFile,
    HardshipLevel,
    HardshipStatus,
    HouseholdMember,
)
from ..money import parse_amount


def _next_review(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _clean(fields: dict) -> dict:
    errors, out = {}, {}
    if fields.get("cause") not in HardshipCause.values:
        errors["cause"] = [_("Choose the cause of hardship.")]
    if fields.get("level") not in HardshipLevel.values:
        errors["level"] = [_("Choose the level of hardship.")]
    try:
        size = int(fields.get("household_size") or 0)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= 20:
        errors["household_size"] = [_("The household has between 1 and 20 people.")]
    try:
        out["income_per_head"] = parse_amount(fields.get("income_per_head"), field="income_per_head", allow_zero=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    situation = (fields.get("situation") or "").strip()
    if len(situation) > 1000:
        errors["situation"] = [_("At most 1000 characters.")]
    if errors:
        raise ValidationError(errors)
    out.update(cause=fields["cause"], level=fields["level"], household_size=size, situation=situation)
    return out


def _household(rows) -> list[HouseholdMember]:
    members = []
    for row in rows or []:
        if not (row.get("name") or "").strip():
            continue
        birth_year = row.get("birth_year") or None
        note = (row.get("note") or "").strip()
        check_length(HouseholdMember, "note", note, field="household")
        members.append(HouseholdMember(
            name=clean_person_name(row["name"]), relation=clean_name(row.get("relation") or "—",
                                                                        max_length=limit_of(HouseholdMember, "relation")),
            birth_year=int(birth_year) if birth_year else None, note=note))
    return members


@transaction.atomic
def register_file(*, actor, node, name: str, id_number: str, cause: str, level: str, household_size,
                  income_per_head, phone: str = "", situation: str = "", member=None, household=None,
                  registered_on: datetime.date | None = None) -> HardshipFile:
    """Open a file; one active file per person (the partial unique constraint backs the check)."""
    require(actor, "aid.hardship.create", node=node)
    person = clean_person(name=name, id_number=id_number)
    fields = _clean({"cause": cause, "level": level, "household_size": household_size,
                     "income_per_head": income_per_head, "situation": situation})
    try:
        phone = normalize_mobile(phone) if phone else ""
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    person_hash = id_hash(person.id_number)
    if HardshipFile.objects.with_scopes_disabled().filter(person_hash=person_hash, status="active").exists():
        raise DomainError("already_registered", _("This person already has an active hardship file."),
                          field="id_number")
    registered_on = registered_on or timezone.localdate()
    file = HardshipFile(node=node, member=member, name=person.name, id_number=person.id_number,
                        person_hash=person_hash, phone=phone, phone_hash=phone_hash(phone) if phone else "",
                        registered_on=registered_on, review_due_on=_next_review(registered_on), created_by=actor,
                        **fields)
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError:
        raise DomainError("already_registered", _("This person already has an active hardship file."),
                          field="id_number") from None
    people = _household(household)
    for person_row in people:
        person_row.file = file
    HouseholdMember.objects.bulk_create(people)
    HardshipEvent.objects.create(file=file, action=HardshipEvent.Action.REGISTERED, actor=actor,
                                 data={"level": file.level, "cause": file.cause})
    audit("aid.hardship.registered", actor=actor, obj=file, data={"level": file.level, "cause": file.cause})
    return file


@transaction.atomic
def review_file(*, actor, file: HardshipFile, level: str | None = None, income_per_head=None,
                household_size=None, note: str = "", on: datetime.date | None = None,
                expected_version: str | None = None) -> HardshipFile:
    """The annual review: the situation is checked again, the next review is due a year later.
    Locked; a review form rendered before another change of the file is refused as stale
    (``core.editing``); only the fields that change are written."""
    require(actor, "aid.hardship.review", node=file.node)
    file = editing.lock(file)
    if file.status != HardshipStatus.ACTIVE:
        raise DomainError("exited", _("This household has left the registry."))
    editing.check_version(file, expected_version)
    fields = _clean({"cause": file.cause, "level": level or file.level, "situation": file.situation,
                     "household_size": household_size or file.household_size,
                     "income_per_head": file.income_per_head if income_per_head in (None, "") else income_per_head})
    changes = {k: str(v) for k, v in fields.items() if k != "situation" and getattr(file, k) != v}
    written = list(editing.apply_changes(file, fields))
    on = on or timezone.localdate()
    file.review_due_on = _next_review(on)
    editing.save_changed(file, extra=[*written, "review_due_on"])
    HardshipEvent.objects.create(file=file, action=HardshipEvent.Action.REVIEWED, actor=actor,
                                 note=clean_line(note, HardshipEvent, "note") if note.strip() else "",
                                 data={"changed": sorted(changes), "next": file.review_due_on.isoformat()})
    audit("aid.hardship.reviewed", actor=actor, obj=file, data={"changed": sorted(changes)})
    return file


@transaction.atomic
def exit_file(*, actor, file: HardshipFile, reason: str, on: datetime.date | None = None) -> HardshipFile:
    require(actor, "aid.hardship.exit", node=file.node)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the household leaves the registry (e.g. income above the line).")]})
    file = HardshipFile.objects.with_scopes_disabled().select_for_update().get(pk=file.pk)
    if file.status != HardshipStatus.ACTIVE:
        raise DomainError("exited", _("This household has left the registry."))
    file.status, file.exited_on, file.exit_reason = HardshipStatus.EXITED, on or timezone.localdate(), \
        clean_line(reason, HardshipFile, "exit_reason")
    file.save(update_fields=["status", "exited_on", "exit_reason"])
    HardshipEvent.objects.create(file=file, action=HardshipEvent.Action.EXITED, actor=actor, note=file.exit_reason)
    audit("aid.hardship.exited", actor=actor, obj=file, data={"reason": file.exit_reason})
    return file


@transaction.atomic
def add_document(*, actor, file: HardshipFile, upload, title: str) -> HardshipDocument:
    """A supporting document (certificate, diagnosis, income proof): checked by its bytes, stored privately."""
    require(actor, "aid.hardship.document", node=file.node)
    if not (title or "").strip():
        raise ValidationError({"title": [_("Name the document (e.g. diagnosis certificate).")]})
    checked = check_upload(upload, kinds=(IMAGE, PDF))
    name = store(checked.content, folder="aid/hardship", extension=checked.extension)
    document = HardshipDocument.objects.create(file=file, title=clean_name(title, max_length=limit_of(HardshipDocument, "title")), stored_name=name,
                                               content_type=checked.content_type, size=checked.size,
                                               uploaded_by=actor)
    HardshipEvent.objects.create(file=file, action=HardshipEvent.Action.DOCUMENT, actor=actor, note=document.title)
    audit("aid.hardship.document_added", actor=actor, obj=file, data={"document": document.pk})
    return document


def open_file(*, actor, file: HardshipFile) -> HardshipFile:
    """Reading a file's personal and medical details: officers of the subtree only, audited."""
    require(actor, "aid.hardship.view", node=file.node)
    audit("aid.hardship.viewed", actor=actor, obj=file)
    return file


REMIND_DAYS = 30


def send_review_reminders(*, today: datetime.date | None = None, days: int = REMIND_DAYS) -> list[HardshipFile]:
    """Remind households whose annual review is due within ``days`` (or overdue), once per due date.

    The household is told by its phone (``core.notify``, after commit); a file without a phone is
    still returned, so the command's list shows the union whom to call. Run daily by a job
    (``gonghui aid-reminders``); a second run the same day reminds nobody again."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=days)
    reminded = []
    with transaction.atomic():
        due = list(HardshipFile.objects.with_scopes_disabled().select_for_update(of=("self",))
                   .select_related("node").filter(status=HardshipStatus.ACTIVE, review_due_on__lte=horizon)
                   .exclude(reminded_for=models.F("review_due_on")).order_by("node__path", "review_due_on", "id"))
        for file in due:
            if file.phone:
                _remind(file, overdue=file.review_due_on < today)
            file.reminded_for = file.review_due_on
            reminded.append(file)
        HardshipFile.objects.with_scopes_disabled().bulk_update(due, ["reminded_for"], batch_size=500)
        if reminded:
            audit("aid.hardship.review_reminders", data={"files": len(reminded), "until": horizon.isoformat()})
    return reminded


def _remind(file: HardshipFile, *, overdue: bool) -> None:
    """A review already past its date is told as overdue (its own approved template), never as
    "due on" a past day."""
    date = file.review_due_on.strftime("%Y-%m-%d")
    if overdue:
        text = _("The annual review of your hardship file at %(union)s was due on %(date)s and is overdue. Please "
                 "bring proof of your household's income and situation to the union as soon as possible.")
        kind = "hardship_review_overdue"
    else:
        text = _("The annual review of your hardship file at %(union)s is due on %(date)s. Please bring proof of "
                 "your household's income and situation to the union.")
        kind = "hardship_review_due"
    notify(phone=file.phone, text=text % {"union": file.node.name, "date": date}, kind=kind, params={"date": date},
           dedupe_key=f"hardship-review:{file.pk}:{date}")
