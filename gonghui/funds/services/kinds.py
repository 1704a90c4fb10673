"""Project types (the kind of a seven-step project is data): what is built, whether it upgrades an
existing position, the acceptance standard as a checklist (e.g. the four haves of a worker's home)
and the subsidy cap.

Types are shared by the whole installation, so only admins of a county (or city, province)
federation edit them. A type's position type and "upgrade" say what its projects build and are
fixed once a project uses it; the name, the standard and the cap may change (a new cap applies to
new applications, a new standard to acceptances from then on).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.positions.models import PositionKind

from ..models import Project, ProjectKind
from ..money import parse_amount
from ..selectors import can_edit_kinds
from .ledger import _text

MAX_ITEMS = 20


def _standard(items) -> list[str]:
    if isinstance(items, str):
        items = items.splitlines()
    cleaned = []
    for item in items or []:
        text = _text(str(item), "standard", 60, required=False)
        if text and text not in cleaned:
            cleaned.append(text)
    if not cleaned or len(cleaned) > MAX_ITEMS:
        raise DomainError("standard_invalid", _("The acceptance standard lists 1 to %(n)d items, one a line.")
                          % {"n": MAX_ITEMS}, field="standard")
    return cleaned


def _new_code(position_kind: str, upgrade: bool) -> str:
    base = f"{position_kind}_{'upgrade' if upgrade else 'new'}"
    taken = set(ProjectKind.objects.filter(code__startswith=base).values_list("code", flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


@transaction.atomic
def save_kind(*, actor, kind: ProjectKind | None = None, name: str, position_kind: str, upgrade: bool, standard,
              max_subsidy, expected_version: str | None = None) -> ProjectKind:
    """Create a project type (``kind`` None) or change one. A change is made on the locked row; a
    form rendered before another change is refused as stale (``core.editing``); only the changed
    fields are written."""
    if not can_edit_kinds(actor):
        raise NotPermitted("funds.project_kind.edit")
    name = _text(name, "name", 60)
    if position_kind not in PositionKind.values:
        raise DomainError("position_kind", _("Choose the type of position the projects build."), field="position_kind")
    upgrade = bool(upgrade)
    items = _standard(standard)
    cap = parse_amount(max_subsidy, field="max_subsidy")
    if ProjectKind.objects.filter(name=name).exclude(pk=kind.pk if kind else None).exists():
        raise DomainError("name_taken", _("A project type of this name exists."), field="name")
    if kind is None:
        kind = ProjectKind.objects.create(code=_new_code(position_kind, upgrade), name=name, position_kind=position_kind,
                                          upgrade=upgrade, standard=items, max_subsidy=cap)
        audit("funds.project_kind.created", actor=actor, obj=kind, data={"code": kind.code})
        return kind
    kind = editing.lock_for_edit(kind, expected_version)
    if (position_kind, upgrade) != (kind.position_kind, kind.upgrade) and Project.objects.with_scopes_disabled() \
            .filter(kind=kind).exists():
        raise DomainError("kind_in_use", _("Projects of this type exist: what it builds cannot change. Add a new type "
                                           "instead."), field="position_kind")
    new = {"name": name, "position_kind": position_kind, "upgrade": upgrade, "standard": items, "max_subsidy": cap}
    changed = sorted(f for f, v in new.items() if getattr(kind, f) != v)
    if changed:
        editing.save_changed(kind, new)
        audit("funds.project_kind.updated", actor=actor, obj=kind, data={"fields": changed})
    return kind
