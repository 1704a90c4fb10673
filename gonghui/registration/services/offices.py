"""Which unions register legal persons, and which office an applicant goes to."""

from django.db import transaction

from gonghui.accounts.models import Role
from gonghui.accounts.permissions import require_role
from gonghui.core.audit import audit
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name

from ..models import RegistrationOffice


def office_for(node) -> RegistrationOffice | None:
    """The nearest registration office strictly above ``node`` (a union never registers itself).

    Read outside the caller's scope on purpose: the office usually sits above the applicant's
    cadres, and only its name is shown to them.
    """
    steplen = len(node.path) // node.depth
    ancestors = [node.path[:i] for i in range(steplen, len(node.path), steplen)]
    with scopes_disabled():
        return (RegistrationOffice.objects.select_related("node").filter(node__path__in=ancestors)
                .order_by("-node__depth").first())


@transaction.atomic
def designate_office(*, node, actor, issuer_name: str = "") -> RegistrationOffice:
    """Make ``node`` a registration office for its subtree (an admin at or above it; None: system)."""
    if actor is not None:
        require_role(actor, node, {Role.ADMIN}, "registration.office.designate")
    with scopes_disabled():
        office = RegistrationOffice.objects.filter(node=node).first()
        if office is not None:
            return office
        office = RegistrationOffice.objects.create(node=node, issuer_name=clean_name(issuer_name or node.name))
    audit("registration.office.designated", actor=actor, obj=office, data={"node": node.pk})
    return office
