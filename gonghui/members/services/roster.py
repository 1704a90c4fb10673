"""Roster writes: enter, edit, leave, reinstate a member; reveal personal data (audited).

Rules enforced here, for every caller (console, worker pages, API, import, CLI):
- clerks and admins of a node's subtree write its roster;
- one person, one active membership — checked for a clear message and enforced by the partial
  unique constraint on the ID hash, so a race ends in the same message, not a duplicate;
- every change is in the member's history and the audit log.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import editing, pinyin
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import TooLong, check_length
from gonghui.core.scoping import scopes_disabled

from ..limits import REVEAL_PURPOSE
from ..models import Member, MemberEvent, MemberStatus, Source
from ..selectors import active_conflict, id_hash, member_version, phone_hash, region_of
from ..validation import check_join_age, clean_member_fields, clean_person

EDITABLE = {
    "ethnicity", "phone", "education", "political_status", "household", "employment_form", "new_form_type",
    "employer", "employer_name", "member_type", "joined_on",
}


def make_card_number(*, node, region: str | None = None) -> str:
    """16 digits: the region code and 10 random digits; uniqueness is a database constraint."""
    return (region or region_of(node)) + "".join(secrets.choice("0123456789") for _ in range(10))


def _conflict_error(existing: Member) -> DomainError:
    return DomainError(
        "already_member",
        _("This person is already an active member of %(union)s since %(date)s; transfer the membership "
          "instead of entering it again.") % {"union": existing.node.name,
                                             "date": date_format(existing.joined_on, "DATE_FORMAT")},
        field="id_number",
    )


def _set_phone(member: Member, phone: str) -> None:
    member.phone = phone or ""
    member.phone_hash = phone_hash(phone) if phone else ""
    member.phone_tail = phone[-4:] if phone else ""


def _event(member: Member, action: str, actor, *, on: datetime.date | None = None, reason: str = "",
           data: dict | None = None) -> None:
    MemberEvent.objects.create(member=member, action=action, actor=actor if getattr(actor, "is_authenticated",
                                                                                         False) else None,
                               on=on or timezone.localdate(), reason=reason, data=data or {})
    audit(f"members.member.{action}", actor=actor, obj=member, data={"reason": reason, **(data or {})})


def build_member(*, node, name: str, id_number: str, gender: str | None = None, birth_date=None,
                 source: str = Source.CLERK, **fields) -> Member:
    """Validate and build an unsaved member (no permission check: callers check it)."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    person = clean_person(name=name, id_number=id_number, gender=gender, birth_date=birth_date)
    fields.setdefault("joined_on", timezone.localdate())
    cleaned = clean_member_fields(fields)
    check_join_age(person.birth_date, cleaned["joined_on"])
    phone = cleaned.pop("phone", "") or ""
    member = Member(node=node, name=person.name, id_number=person.id_number, id_hash=id_hash(person.id_number),
                    gender=person.gender, birth_date=person.birth_date, source=source, **cleaned)
    member.name_initials = pinyin.initials(person.name)[:50]
    _set_phone(member, phone)
    if member.employer is not None and not member.employer_name:
        member.employer_name = member.employer.name
    return member


def save_new_member(*, member: Member) -> Member:
    """Insert with a fresh card number, turning the one-membership constraint into the conflict message."""
    existing = active_conflict(member.id_hash)
    if existing is not None:
        raise _conflict_error(existing)
    for _attempt in range(5):
        if not member.card_number:
            member.card_number = make_card_number(node=member.node)
        try:
            with transaction.atomic():
                member.save()
            return member
        except IntegrityError:
            existing = active_conflict(member.id_hash)
            if existing is not None:
                raise _conflict_error(existing) from None
            member.card_number = ""  # a card-number collision: draw again
    raise DomainError("card_number", _("Could not allocate a member card number; try again."))


@transaction.atomic
def create_member(*, actor, node, source: str = Source.CLERK, **fields) -> Member:
    require(actor, "members.member.create", node=node)
    if not node.is_active:
        raise DomainError("node_inactive", _("Members cannot be added to a merged or dissolved union."))
    member = save_new_member(member=build_member(node=node, source=source, **fields))
    _event(member, MemberEvent.Action.JOINED, actor, on=member.joined_on, data={"node": node.pk, "source": source})
    return member


def _stale_error() -> DomainError:
    return editing.StaleEdit(_("Someone else changed this member after you opened the form. Reload the page "
                               "and make your change again."))


def lock_member(*, member: Member, expected_version: str | None = None) -> Member:
    """The member's row, locked until the transaction ends (``FOR UPDATE OF`` the member only: on
    PostgreSQL a row whose union a concurrent transfer changed would drop out of a joined SELECT …
    FOR UPDATE once the lock is granted); refuses a stale edit."""
    locked = editing.lock(member)
    if expected_version is not None and expected_version != member_version(locked):
        raise _stale_error()
    return locked


@transaction.atomic
def update_member(*, actor, member: Member, expected_version: str | None = None, **fields) -> Member:
    """Edit roster fields. Name and ID are corrected through ``correct_identity`` (a rarer, audited act).

    Safe against lost updates: the row is locked and re-read, only the fields this edit changes
    are written (a concurrent leave or transfer keeps its status and union), and an edit form
    rendered before another change (``expected_version``) is refused with "reload"."""
    require(actor, "members.member.update", node=member.node)
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    cleaned = clean_member_fields(fields, partial=True)
    member = lock_member(member=member, expected_version=expected_version)
    require(actor, "members.member.update", node=member.node)  # it may have moved meanwhile
    if "joined_on" in cleaned:
        check_join_age(member.birth_date, cleaned["joined_on"])
    changed, columns = [], set()
    if "phone" in cleaned:
        phone = cleaned.pop("phone") or ""
        if phone != member.phone:
            _set_phone(member, phone)
            changed.append("phone")
            columns |= {"phone", "phone_hash", "phone_tail"}
    for field, value in cleaned.items():
        if getattr(member, field) != value:
            setattr(member, field, value)
            changed.append(field)
            columns.add(field)
    if member.employment_form and member.employment_form != "new_form" and member.new_form_type:
        member.new_form_type = ""
        columns.add("new_form_type")
    if not changed:
        return member
    member.save(update_fields=sorted(columns | {"updated_at"}))
    # Field names only: the audit log must not become a second copy of personal data.
    _event(member, MemberEvent.Action.EDITED, actor, data={"fields": sorted(changed)})
    return member


@transaction.atomic
def correct_identity(*, actor, member: Member, name: str, id_number: str,
                     expected_version: str | None = None) -> Member:
    require(actor, "members.member.correct_identity", node=member.node)
    person = clean_person(name=name, id_number=id_number)
    member = lock_member(member=member, expected_version=expected_version)
    new_hash = id_hash(person.id_number)
    if member.is_active and new_hash != member.id_hash:
        existing = active_conflict(new_hash, exclude_pk=member.pk)
        if existing is not None:
            raise _conflict_error(existing)
    member.name, member.id_number, member.id_hash = person.name, person.id_number, new_hash
    member.birth_date, member.gender = person.birth_date, person.gender
    member.name_initials = pinyin.initials(person.name)[:50]
    member.save(update_fields=["name", "id_number", "id_hash", "birth_date", "gender", "name_initials",
                               "updated_at"])
    _event(member, MemberEvent.Action.EDITED, actor, data={"fields": ["name", "id_number"]})
    return member


@transaction.atomic
def end_membership(*, actor, member: Member, status: str = MemberStatus.LEFT, on: datetime.date | None = None,
                   reason: str = "") -> Member:
    """Leave (退会) or record a death. A reason is required for leaving."""
    require(actor, "members.member.leave", node=member.node)
    if status not in (MemberStatus.LEFT, MemberStatus.DECEASED):
        raise DomainError("bad_status", _("A membership ends by leaving or death."))
    check_length(MemberEvent, "reason", reason)
    member = Member.objects.with_scopes_disabled().select_for_update().get(pk=member.pk)
    if not member.is_active:
        raise DomainError("not_active", _("This membership is not active."))
    reason = (reason or "").strip()
    if status == MemberStatus.LEFT and not reason:
        raise ValidationError({"reason": [_("Give the reason for leaving.")]})
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < member.joined_on:
        raise ValidationError({"on": [_("The date must lie between the join date and today.")]})
    member.status, member.status_changed_on = status, on
    member.card_version += 1  # the member card stops verifying
    member.save(update_fields=["status", "status_changed_on", "card_version", "updated_at"])
    action = MemberEvent.Action.LEFT if status == MemberStatus.LEFT else MemberEvent.Action.DECEASED
    _event(member, action, actor, on=on, reason=reason)
    return member


@transaction.atomic
def reinstate_member(*, actor, member: Member, reason: str = "") -> Member:
    require(actor, "members.member.reinstate", node=member.node)
    check_length(MemberEvent, "reason", reason)
    member = Member.objects.with_scopes_disabled().select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.LEFT:
        raise DomainError("not_left", _("Only a member who left can be reinstated."))
    existing = active_conflict(member.id_hash, exclude_pk=member.pk)
    if existing is not None:
        raise _conflict_error(existing)
    member.status, member.status_changed_on = MemberStatus.ACTIVE, timezone.localdate()
    member.card_version += 1
    try:
        with transaction.atomic():
            member.save(update_fields=["status", "status_changed_on", "card_version", "updated_at"])
    except IntegrityError:
        raise _conflict_error(active_conflict(member.id_hash, exclude_pk=member.pk)) from None
    _event(member, MemberEvent.Action.REINSTATED, actor, reason=reason or "")
    return member


def reveal_member(*, actor, member: Member, purpose: str = "") -> dict:
    """The unmasked ID number and phone, for a role allowed to see them; every reveal is audited."""
    require(actor, "members.member.reveal", node=member.node)
    purpose = (purpose or "").strip()
    if len(purpose) > REVEAL_PURPOSE:
        raise TooLong(field="purpose", label=_("Purpose"), limit=REVEAL_PURPOSE, size=len(purpose))
    audit("members.member.reveal", actor=actor, obj=member, data={"purpose": purpose})
    return {"id_number": member.id_number, "phone": member.phone}


def move_members_of_merged_node(*, actor, source, target) -> int:
    """A merged union's active members continue in the union it merged into (history kept)."""
    with scopes_disabled():
        moving = list(Member.objects.filter(node=source, status=MemberStatus.ACTIVE).values_list("pk", flat=True))
        Member.objects.filter(pk__in=moving).update(node=target, updated_at=timezone.now())
        MemberEvent.objects.bulk_create([
            MemberEvent(member_id=pk, action=MemberEvent.Action.TRANSFERRED, on=timezone.localdate(),
                        actor=actor if getattr(actor, "is_authenticated", False) else None,
                        reason="merge", data={"from": source.pk, "to": target.pk, "merge": True})
            for pk in moving])
    if moving:
        audit("members.moved_by_merge", actor=actor, obj=target, data={"from": source.pk, "members": len(moving)})
    return len(moving)
