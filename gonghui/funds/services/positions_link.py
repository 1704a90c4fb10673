"""达标验收 → the service position: an accepted construction project creates its position, an accepted
upgrade updates the named one.

This is system work done for the project, not a cadre's edit of positions: the permission that
counts is the acceptance's (an admin or reviewer of the reviewing union, checked by ``accept``),
so a reviewer-only cadre's acceptance registers the position too. The positions module does the
writing (``create_position_for`` / ``upgrade_position_for``: an active union, its field rules,
audited as a position write naming the project and the accepting cadre).
"""

from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError
from gonghui.core.scoping import scopes_disabled
from gonghui.positions.models import Position
from gonghui.positions.services import positions


def register_position(*, actor, project, today) -> tuple[Position, str]:
    """The position created or upgraded for ``project``, and the note for the project's history.

    Raises DomainError / ValidationError / Position.DoesNotExist when it cannot be done (no location,
    the position gone, the union dissolved); the caller records that for a manual follow-up."""
    fields = {"area_sqm": project.area_sqm} if project.area_sqm else {}
    via = {"by": "funds.project", "project": project.pk}
    with scopes_disabled():
        if project.position_id:
            position = positions.upgrade_position_for(position_id=project.position_id, actor=actor, via=via,
                                                      description=project.description, **fields)
            return position, _("Position upgraded: %(name)s") % {"name": position.name}
        if project.lat is None:
            raise DomainError("point_missing", _("the application gave no location"))
        position = positions.create_position_for(
            node=project.node, actor=actor, via=via, name=project.title, kind=project.kind.position_kind,
            address=project.address, lat=project.lat, lng=project.lng, description=project.description,
            opened_on=today, **fields)
        return position, _("Position registered: %(name)s") % {"name": position.name}
