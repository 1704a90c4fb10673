"""Edits that lose nothing: a version token per row, a row lock, and a save of the changed fields only.

Every edit service of the platform follows the same three steps (issue 17, finding 1):

1. ``locked = lock(obj)`` — the row again, ``SELECT … FOR UPDATE OF self`` until the transaction
   ends, so a concurrent state change (a leave, a transfer, a closing) waits or has already happened;
2. ``check_version(locked, expected_version)`` — an edit form or API read rendered before another
   change carries the row's version then; if the row has changed since, the edit is refused with the
   stable code ``stale`` ("someone else changed this, reload"; HTTP 409 in the API), nothing changed;
3. ``save_changed(locked, changes)`` — only the fields whose value really changes are written
   (``update_fields``), so the columns another transaction wrote (status, union, state) are never
   written back from a stale copy.

The version is a keyed fingerprint (HMAC under the site secret) of the row's current field values:
no column and no migration, moved by any write of any field, and it reveals nothing of the values
(a phone number's fingerprint cannot be looked up). ``None`` as the expected version means "no form
version known" (the command line, imports, old API clients): the lock and the changed-fields save
still protect against lost updates.
"""

import datetime
import decimal
import json
import uuid

from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .errors import DomainError
from .limits import VERSION_TOKEN
from .scoping import scopes_disabled

VERSION_LENGTH = 32
VERSION_FIELD = "version"
VERSION_HELP = ("The version of the record as read (or an If-Match header); a change made since then refuses "
                "the edit with 409 and the code 'stale'.")


class StaleEdit(DomainError):
    """The edit was prepared on a copy older than the row: refused, nothing changed."""

    status = 409

    def __init__(self, message: str = ""):
        super().__init__("stale", message or _("Someone else changed this record after you opened it. Reload the "
                                               "page and make your change again."))


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (dict, list, tuple)):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def fields_of(model) -> list[str]:
    """Every stored column of the model (attnames: foreign keys as their ids)."""
    return [f.attname for f in model._meta.concrete_fields]


def version_of(obj, fields=None) -> str:
    """The version token of ``obj`` as it is in memory (read it from the row you render)."""
    if obj is None or obj.pk is None:
        return ""
    names = list(fields) if fields is not None else fields_of(type(obj))
    payload = json.dumps([type(obj)._meta.label_lower, [[n, _plain(getattr(obj, n))] for n in names]],
                         sort_keys=True, ensure_ascii=False, default=str)
    return salted_hmac("gonghui.core.editing.version", payload).hexdigest()[:VERSION_LENGTH]


def lock(obj, *, queryset=None):
    """The row of ``obj`` read again under ``SELECT … FOR UPDATE OF self`` (no joined rows locked,
    and a join cannot drop the row once the lock is granted). Must run inside a transaction."""
    model = type(obj)
    with scopes_disabled():
        qs = queryset if queryset is not None else model._base_manager.all()
        return qs.select_for_update(of=("self",)).get(pk=obj.pk)


def check_version(locked, expected_version: str | None, *, fields=None, message: str = "") -> None:
    """Refuse (``stale``) when the form's version is not the locked row's."""
    if expected_version is None:
        return
    if str(expected_version).strip() != version_of(locked, fields):
        raise StaleEdit(message)


def lock_for_edit(obj, expected_version: str | None = None, *, fields=None, queryset=None, message: str = ""):
    """``lock`` then ``check_version``: the row to edit, current and locked."""
    locked = lock(obj, queryset=queryset)
    check_version(locked, expected_version, fields=fields, message=message)
    return locked


def apply_changes(obj, changes: dict) -> dict:
    """Set the values that differ; return ``{field: (old, new)}`` of those only."""
    changed = {}
    for field, value in changes.items():
        old = getattr(obj, field)
        if old != value:
            setattr(obj, field, value)
            changed[field] = (old, value)
    return changed


def save_changed(obj, changes: dict | None = None, *, also=(), extra=()) -> list[str]:
    """Apply ``changes`` and save only the fields that changed (plus ``also``, columns derived from
    them, and ``updated_at`` when the model has it). ``extra`` are fields already set on ``obj`` by
    the caller that count as changed. Returns the changed field names (nothing saved if none)."""
    changed = list(apply_changes(obj, changes or {}))
    changed += [f for f in extra if f not in changed]
    if not changed:
        return []
    columns = set(changed) | set(also)
    names = {f.name for f in obj._meta.concrete_fields} | {f.attname for f in obj._meta.concrete_fields}
    if "updated_at" in names:
        columns.add("updated_at")
    obj.save(update_fields=sorted(columns))
    return changed


def edit(obj, changes: dict, *, expected_version: str | None = None, also=(), fields=None, queryset=None,
         message: str = ""):
    """The three steps in one call for the simple case: lock, check the version, save what changed.
    Returns ``(locked_row, changed_field_names)``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("editing.edit must run inside transaction.atomic")
    locked = lock_for_edit(obj, expected_version, fields=fields, queryset=queryset, message=message)
    return locked, save_changed(locked, changes, also=also)


def expected_from(request, body_version: str | None = None) -> str | None:
    """The version an API client sends: the ``version`` field of the body, else an ``If-Match``
    header (quotes and a weak ``W/`` prefix are tolerated). None when neither is sent."""
    if body_version:
        return body_version
    header = request.headers.get("If-Match", "") if request is not None else ""
    header = header.strip()
    if not header or header == "*":
        return None
    if header.startswith("W/"):
        header = header[2:]
    return header.strip('"')


class VersionFormMixin:
    """A hidden ``version`` field on an edit form: render with ``initial={"version": version_of(row)}``
    (the view does it through ``with_version``) and pass ``form.version`` to the service."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms

        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, max_length=VERSION_TOKEN, required=False)

    @property
    def version(self) -> str | None:
        value = (getattr(self, "cleaned_data", None) or {}).get(VERSION_FIELD)
        if value is None and self.is_bound:
            value = self.data.get(VERSION_FIELD)
        return value or None

    def without_version(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop(VERSION_FIELD, None)
        return data


def with_version(initial: dict | None, obj, fields=None) -> dict:
    """The initial data of an edit form, with the row's version."""
    return {**(initial or {}), VERSION_FIELD: version_of(obj, fields)}


def version_from_post(request) -> str | None:
    """The version posted by an edit form that is not a Django form (hand-written templates)."""
    value = request.POST.get(VERSION_FIELD)
    return value or None
