"""达标验收 → the service position: an accepted construction project creates its position, an accepted
upgrade updates the named one.

This is system work done for the project, not a cadre's edit of positions: the permission that
counts is the acceptance's (an admin or reviewer of the reviewing union, checked by ``accept``),
so a reviewer-only cadre's acceptance registers the position too. The position goes through the
positions module's own field rules (``clean_position_fields``: coordinates in China, names, …)
and is audited as a position write naming the project and the accepting cadre.
"""

from django.utils.translation import gettext as _

from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.scoping import scopes_disabled
from gonghui.positions.models import Position
from gonghui.positions.validation import clean_position_fields


def register_position(*, project, actor, today) -> tuple[Position, str]:
    """The position created or upgraded for ``project``, and the note for the project's history.

    Raises DomainError / ValidationError / Position.DoesNotExist when it cannot be done (no location,
    the position gone, the union dissolved); the caller records that for a manual follow-up."""
    fields = {"area_sqm": project.area_sqm} if project.area_sqm else {}
    via = {"by": "funds.project", "project": project.pk}
    with scopes_disabled():
        if project.position_id:
            position = Position.objects.select_related("node").get(pk=project.position_id)
            data = clean_position_fields({"description": project.description[:2000], **fields}, partial=True)
            changed = [f for f, v in data.items() if getattr(position, f) != v]
            for field in changed:
                setattr(position, field, data[field])
            if changed:
                position.save(update_fields=[*changed, "updated_at"])
            audit("positions.position.updated", actor=actor, obj=position, data={"fields": sorted(changed), **via})
            return position, _("Position upgraded: %(name)s") % {"name": position.name}
        if project.lat is None:
            raise DomainError("point_missing", _("the application gave no location"))
        if project.node.status != "active":
            raise DomainError("node_inactive", _("%(union)s is no longer active") % {"union": project.node.name})
        data = clean_position_fields({
            "name": project.title, "kind": project.kind.position_kind, "address": project.address,
            "lat": project.lat, "lng": project.lng, "description": project.description[:2000],
            "opened_on": today, **fields})
        position = Position.objects.create(node=project.node, **data)
        audit("positions.position.created", actor=actor, obj=position,
              data={"node": project.node_id, "kind": position.kind, **via})
        return position, _("Position registered: %(name)s") % {"name": position.name}
