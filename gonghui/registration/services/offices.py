"""Which unions register legal persons, and which office an applicant goes to.

The tree's flag ``orgs.Node.is_registration_office`` says which unions are registration offices;
``RegistrationOffice`` keeps the office's details (the issuing authority's name printed on
certificates: the union's own name, never typed in) and is what applications and registrations
point at, so it stays when a designation is withdrawn.

Only a registration authority designates offices: the federations named (by node code) in
``GONGHUI_REGISTRATION_AUTHORITIES``, county level or above, or, when that is empty, the top of the
tree. An admin of the authority (or above it) designates unions inside the authority's subtree; an
admin of a township has no say, not even over the unions below it.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name
from gonghui.orgs import services as orgs_services
from gonghui.orgs.models import Node, NodeKind, NodeStatus

from .. import selectors
from ..models import OPEN_STATUSES, Application, RegistrationOffice

# A configured registration authority is a federation at county level or above.
AUTHORITY_KINDS = {NodeKind.PROVINCE, NodeKind.CITY, NodeKind.COUNTY}


def find_office(*, node) -> RegistrationOffice | None:
    """The nearest union strictly above ``node`` flagged as a registration office (a union never
    registers itself), with its office record (created with the union's name when missing).

    Read outside the caller's scope on purpose: the office usually sits above the applicant's
    cadres, and only its name is shown to them.
    """
    steplen = len(node.path) // node.depth
    ancestors = [node.path[:i] for i in range(steplen, len(node.path), steplen)]
    with scopes_disabled():
        office_node = (Node.objects.filter(path__in=ancestors, is_registration_office=True)
                       .order_by("-depth").first())
        if office_node is None:
            return None
        office = RegistrationOffice.objects.select_related("node").filter(node=office_node).first()
        if office is None:
            office, _created = RegistrationOffice.objects.get_or_create(
                node=office_node, defaults={"issuer_name": clean_name(office_node.name)})
        return office


def find_authorities() -> list[Node]:
    """The registration authorities: the configured federations, else the top of the tree (one query)."""
    codes = settings.GONGHUI_REGISTRATION_AUTHORITIES
    with scopes_disabled():
        if not codes:
            return list(Node.objects.filter(depth=1).only("id", "path", "depth", "name"))
        return list(Node.objects.filter(code__in=codes, kind__in=AUTHORITY_KINDS).only("id", "path", "depth", "name"))


def _set_flag(node, value: bool, actor) -> None:
    if actor is not None:
        orgs_services.update_node(node=Node.objects.get(pk=node.pk), actor=actor, is_registration_office=value)
    else:  # system work (demo, set-up): no cadre to check, the audit entry below records it
        orgs_services.mark_registration_office(node=node, value=value)
    node.is_registration_office = value


@transaction.atomic
def designate_office(*, actor, node) -> RegistrationOffice:
    """Make ``node`` a registration office for its subtree: the tree's flag, and the office record with
    the issuing authority's name (the union's own name). Designating an office again refreshes the
    name after a rename. ``actor`` None is system work (demo, set-up)."""
    if actor is not None:
        if not selectors.may_designate(actor, node, known=find_authorities()):
            raise NotPermitted("registration.office.designate")
    if node.status != NodeStatus.ACTIVE:
        raise DomainError("node_inactive", _("%(union)s is no longer active.") % {"union": node.name}, field="node")
    name = clean_name(node.name)
    with scopes_disabled():
        office = RegistrationOffice.objects.select_for_update().filter(node=node).first()
        if office is not None and node.is_registration_office and office.issuer_name == name:
            return office
        if office is None:
            office = RegistrationOffice.objects.create(node=node, issuer_name=name)
        elif office.issuer_name != name:
            office.issuer_name = name
            office.save(update_fields=["issuer_name"])
    _set_flag(node, True, actor)
    audit("registration.office.designated", actor=actor, obj=office, data={"node": node.pk})
    return office


@transaction.atomic
def withdraw_office(*, actor, node) -> None:
    """Withdraw ``node``'s designation. Refused while applications are open at the office (their
    review would lose its office); the registrations it made keep naming it."""
    if not selectors.may_designate(actor, node, known=find_authorities()):
        raise NotPermitted("registration.office.withdraw")
    if not node.is_registration_office:
        raise DomainError("not_an_office", _("%(union)s is not a registration office.") % {"union": node.name},
                          field="node")
    with scopes_disabled():
        office = RegistrationOffice.objects.select_for_update().filter(node=node).first()
        waiting = Application.objects.filter(office__node=node, status__in=OPEN_STATUSES).count() if office else 0
    if waiting:
        raise DomainError("office_busy", _("%(n)d applications filed with this office are still open; decide them "
                                           "before withdrawing the designation.") % {"n": waiting}, field="node")
    _set_flag(node, False, actor)
    audit("registration.office.withdrawn", actor=actor, obj=office or node, data={"node": node.pk})
