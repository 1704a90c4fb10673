"""Editing the legal check-up template (劳动用工法律体检的体检项目).

Rules enforced here:
- the template is one list for the whole platform; admins and clerks of a county (or city,
  province) federation edit it — a township or enterprise cadre uses it as it is;
- an item some check-up has answered is never changed in place: rewording it retires it and adds
  a new version in the same place, so every past check-up keeps the items (and the order) it was
  made with (``Finding.item``, ``Finding.position``); an item nobody has answered yet is simply
  corrected;
- retiring takes an item out of new check-ups only; a retired item can be brought back;
- a reorder names every active item exactly once (what the editor saw), else it is refused:
  someone else changed the list meanwhile;
- titles are one line, unique among the active items; every change is audited.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import NotPermitted
from gonghui.core.limits import limit_of

from ..models import CheckupItem
from ..selectors import ITEM_VERSION_FIELDS, is_item_used, may_edit_checklist
from .claims import clean_text

MAX_ACTIVE_ITEMS = 60
ORDER_STEP = 10


def _require_editor(actor) -> None:
    if not may_edit_checklist(actor):
        raise NotPermitted("rights.checklist.edit")


def _clean(title, basis) -> tuple[str, str]:
    errors = {}
    try:
        title = clean_text(value=title, field="title", max_length=limit_of(CheckupItem, "title"))
        if "\n" in title or "\r" in title:
            raise ValidationError({"title": [_("Write the item on one line.")]})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        basis = clean_text(value=basis, field="basis", max_length=limit_of(CheckupItem, "basis"), required=False)
        if "\n" in basis or "\r" in basis:
            raise ValidationError({"basis": [_("Write the legal basis on one line.")]})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return title, basis


def _check_unique(title: str, *, exclude: CheckupItem | None = None) -> None:
    same = CheckupItem.objects.filter(active=True, title=title)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ValidationError({"title": [_("The checklist already has this item.")]})


def _new_code() -> str:
    return f"x{secrets.token_hex(6)}"


def _active_locked() -> list[CheckupItem]:
    return list(CheckupItem.objects.select_for_update().filter(active=True).order_by("order", "id"))


@transaction.atomic
def add_item(*, actor, title: str, basis: str = "") -> CheckupItem:
    """A new item at the end of the checklist."""
    _require_editor(actor)
    title, basis = _clean(title, basis)
    active = _active_locked()
    if len(active) >= MAX_ACTIVE_ITEMS:
        raise ValidationError({"title": [_("The checklist holds at most %(n)d items; retire one first.")
                                         % {"n": MAX_ACTIVE_ITEMS}]})
    _check_unique(title)
    last = CheckupItem.objects.aggregate(last=Max("order"))["last"] or 0
    item = CheckupItem.objects.create(code=_new_code(), title=title, basis=basis, order=last + ORDER_STEP)
    audit("rights.checklist.item_added", actor=actor, obj=item, data={"code": item.code})
    return item


@transaction.atomic
def reword_item(*, actor, item: CheckupItem, title: str, basis: str = "",
                expected_version: str | None = None) -> CheckupItem:
    """Change an item's wording. Answered already: the old version retires and a new one takes its
    place (returned); never answered: corrected in place. A form rendered before another change of
    the item is refused as stale."""
    _require_editor(actor)
    item = editing.lock(item)
    if not item.active:
        raise ValidationError({"title": [_("This item is retired; bring it back before changing it.")]})
    editing.check_version(item, expected_version, fields=ITEM_VERSION_FIELDS)
    title, basis = _clean(title, basis)
    if (title, basis) == (item.title, item.basis):
        return item
    _check_unique(title, exclude=item)
    if not is_item_used(item):
        item.title, item.basis = title, basis
        item.save(update_fields=["title", "basis"])
        audit("rights.checklist.item_corrected", actor=actor, obj=item, data={"code": item.code})
        return item
    item.active, item.retired_at = False, timezone.now()
    item.save(update_fields=["active", "retired_at"])
    successor = CheckupItem.objects.create(code=_new_code(), title=title, basis=basis, order=item.order,
                                           replaces=item)
    audit("rights.checklist.item_reworded", actor=actor, obj=successor,
          data={"code": successor.code, "replaces": item.code})
    return successor


@transaction.atomic
def retire_item(*, actor, item: CheckupItem) -> CheckupItem:
    """Out of new check-ups; past check-ups keep it."""
    _require_editor(actor)
    item = CheckupItem.objects.select_for_update().get(pk=item.pk)
    if not item.active:
        return item
    if len(_active_locked()) <= 1:
        raise ValidationError({"item": [_("A check-up needs at least one item.")]})
    item.active, item.retired_at = False, timezone.now()
    item.save(update_fields=["active", "retired_at"])
    audit("rights.checklist.item_retired", actor=actor, obj=item, data={"code": item.code})
    return item


@transaction.atomic
def restore_item(*, actor, item: CheckupItem) -> CheckupItem:
    """A retired item back in the checklist, at the end."""
    _require_editor(actor)
    item = CheckupItem.objects.select_for_update().get(pk=item.pk)
    if item.active:
        return item
    if len(_active_locked()) >= MAX_ACTIVE_ITEMS:
        raise ValidationError({"item": [_("The checklist holds at most %(n)d items; retire one first.")
                                        % {"n": MAX_ACTIVE_ITEMS}]})
    _check_unique(item.title)
    last = CheckupItem.objects.filter(active=True).aggregate(last=Max("order"))["last"] or 0
    item.active, item.retired_at, item.order = True, None, last + ORDER_STEP
    item.save(update_fields=["active", "retired_at", "order"])
    audit("rights.checklist.item_restored", actor=actor, obj=item, data={"code": item.code})
    return item


@transaction.atomic
def reorder_checklist(*, actor, ids: list) -> list[CheckupItem]:
    """The active items in the order given; ``ids`` must name each of them exactly once."""
    _require_editor(actor)
    active = _active_locked()
    try:
        wanted = [int(pk) for pk in ids]
    except (TypeError, ValueError):
        wanted = []
    if sorted(wanted) != sorted(i.pk for i in active) or len(set(wanted)) != len(wanted):
        raise ValidationError({"ids": [_("The order must list every current item once; the checklist may have "
                                         "just been changed by someone else. Reload and try again.")]})
    by_pk = {i.pk: i for i in active}
    changed = []
    for place, pk in enumerate(wanted, start=1):
        item = by_pk[pk]
        if item.order != place * ORDER_STEP:
            item.order = place * ORDER_STEP
            changed.append(item)
    CheckupItem.objects.bulk_update(changed, ["order"])
    if changed:
        audit("rights.checklist.reordered", actor=actor, obj=None,
              data={"order": [by_pk[pk].code for pk in wanted]})
    return [by_pk[pk] for pk in wanted]


def move_item(*, actor, item: CheckupItem, up: bool) -> list[CheckupItem]:
    """One place up or down (the console's arrows): a reorder of the list as it is now."""
    _require_editor(actor)
    ids = list(CheckupItem.objects.filter(active=True).order_by("order", "id").values_list("pk", flat=True))
    if item.pk not in ids:
        raise ValidationError({"item": [_("This item is retired; bring it back before moving it.")]})
    at = ids.index(item.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
    return reorder_checklist(actor=actor, ids=ids)
