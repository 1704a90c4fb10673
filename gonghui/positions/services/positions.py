"""Writes of positions: create, edit, photos, the visit QR key.

Rules enforced here for every caller (console, API, import, demo):
- admins and clerks of a node's subtree keep its positions; any role in scope may read them;
- the fields pass ``validation.clean_position_fields`` (coordinates converted to WGS-84 and
  checked to be in China, hours without overlaps, amenities from the vocabulary);
- photos are pictures only (checked by their bytes, SVG refused), capped in size, stored without
  EXIF, with a thumbnail;
- every change is in the audit log (field names, not values).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import check_length
from gonghui.core.uploads import IMAGE, check_upload, store, thumbnail

from .. import coordinates
from ..models import Position, PositionMove, PositionPhoto, new_qr_key
from ..validation import clean_position_fields

PHOTO_MAX_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 12


def _node_must_be_active(node) -> None:
    if getattr(node, "status", "active") != "active":
        raise DomainError("node_inactive", _("%(union)s is no longer active; positions cannot be added to it.")
                          % {"union": node.name}, field="node")


@transaction.atomic
def create_position(*, actor, node, system: str = coordinates.WGS84, **fields) -> Position:
    """A new position hosted by ``node``."""
    require(actor, "positions.position.create", node=node)
    _node_must_be_active(node)
    data = clean_position_fields(fields, system=system)
    position = Position.objects.create(node=node, **data)
    audit("positions.position.created", actor=actor, obj=position,
          data={"node": node.pk, "kind": position.kind, "system": system})
    return position


# --- system work for other modules ---------------------------------------------------------------
# Another module's step creates or upgrades a position (funds: an accepted construction project).
# That module has checked its own permission for the step; ``via`` names the step and goes into the
# audit record beside the cadre who took it. The positions rules still apply: an active union, the
# field rules (coordinates in China, names, hours …).

@transaction.atomic
def create_position_for(*, actor, node, via: dict, **fields) -> Position:
    """A new position hosted by ``node``, created by the step ``via`` (no positions role needed)."""
    _node_must_be_active(node)
    data = clean_position_fields(fields)
    position = Position.objects.create(node=node, **data)
    audit("positions.position.created", actor=actor, obj=position,
          data={"node": node.pk, "kind": position.kind, **via})
    return position


@transaction.atomic
def upgrade_position_for(*, actor, position_id: int, via: dict, **fields) -> Position:
    """The position ``position_id`` updated by the step ``via``; audited even when no field changes
    (the step itself is the event). ``Position.DoesNotExist`` when it is gone."""
    position = Position.objects.select_related("node").get(pk=position_id)
    changed = _apply(position, clean_position_fields(fields, partial=True))
    audit("positions.position.updated", actor=actor, obj=position, data={"fields": sorted(changed), **via})
    return position


def _apply(position: Position, data: dict) -> list[str]:
    """Set the cleaned fields that differ and save only those; the names of the changed fields."""
    changed = [f for f, v in data.items() if getattr(position, f) != v]
    for field in changed:
        setattr(position, field, data[field])
    if changed:
        position.save(update_fields=[*changed, "updated_at"])
    return changed


@transaction.atomic
def update_position(*, actor, position: Position, system: str = coordinates.WGS84,
                    expected_version: str | None = None, **fields) -> Position:
    require(actor, "positions.position.update", node=position.node)
    data = clean_position_fields(fields, system=system, partial=True)
    # The row locked and read again; a form rendered before another change is refused (stale).
    position = editing.lock_for_edit(position, expected_version)
    if "hours" in data and "open_24h" not in data:
        data["open_24h"] = position.open_24h
    changed = _apply(position, data)
    if changed:
        audit("positions.position.updated", actor=actor, obj=position, data={"fields": sorted(changed)})
    return position


def move_position(*, actor, position: Position, to_node, reason: str = "") -> Position:
    """Hand a position to another union (a reorganisation, a home taken over by the township): the
    actor keeps positions at both ends; the change is kept in the position's history and audited."""
    reason = " ".join((reason or "").split())
    errors = {}
    if not reason:
        errors["reason"] = [_("Give the reason for the change, e.g. the decision that transferred it.")]
    elif len(reason) > 200 or "<" in reason or ">" in reason:
        errors["reason"] = [_("Write the reason on one line of at most 200 characters, without angle brackets.")]
    with transaction.atomic():
        require(actor, "positions.position.move", node=position.node)
        require(actor, "positions.position.move", node=to_node)
        if to_node.pk == position.node_id:
            errors["to_node"] = [_("The position is already hosted by %(union)s.") % {"union": to_node.name}]
        if errors:
            raise ValidationError(errors)
        _node_must_be_active(to_node)
        old = position.node
        position.node = to_node
        position.save(update_fields=["node", "updated_at"])
        PositionMove.objects.create(position=position, from_node=old, to_node=to_node, reason=reason, moved_by=actor)
        audit("positions.position.moved", actor=actor, obj=position,
              data={"from": old.pk, "to": to_node.pk, "reason": reason})
    return position


@transaction.atomic
def renew_qr(*, actor, position: Position) -> Position:
    """Withdraw the printed visit code (lost, copied) and issue a new one."""
    require(actor, "positions.position.qr", node=position.node)
    position.qr_key = new_qr_key()
    position.save(update_fields=["qr_key", "updated_at"])
    audit("positions.position.qr_renewed", actor=actor, obj=position)
    return position


def add_photo(*, actor, position: Position, upload, caption: str = "") -> PositionPhoto:
    require(actor, "positions.photo.add", node=position.node)
    if position.photos.count() >= MAX_PHOTOS:
        raise DomainError("too_many_photos", _("At most %(n)s photos per position; remove one first.")
                          % {"n": MAX_PHOTOS}, field="photo")
    checked = check_upload(upload, kinds=(IMAGE,), max_bytes=PHOTO_MAX_BYTES, field="photo")
    caption = (caption or "").strip()
    check_length(PositionPhoto, "caption", caption)
    if "<" in caption or ">" in caption:
        raise ValidationError({"caption": [_("Angle brackets are not allowed here.")]})
    name = store(checked.content, folder="positions/photos", extension=checked.extension)
    thumb = store(thumbnail(checked), folder="positions/thumbs", extension="jpg")
    with transaction.atomic():
        photo = PositionPhoto.objects.create(position=position, file=name, thumb=thumb,
                                             content_type=checked.content_type, caption=caption,
                                             width=checked.width or 0, height=checked.height or 0)
        audit("positions.photo.added", actor=actor, obj=position, data={"photo": photo.pk})
    return photo


@transaction.atomic
def remove_photo(*, actor, photo: PositionPhoto) -> None:
    require(actor, "positions.photo.remove", node=photo.position.node)
    audit("positions.photo.removed", actor=actor, obj=photo.position, data={"photo": photo.pk})
    photo.delete()
