"""Shared helpers for the orgs tests."""

from contextlib import contextmanager

from django_scopes import scopes_disabled

from gonghui.accounts.permissions import forget, subtree_for
from gonghui.core.models import AuditEntry
from gonghui.core.scoping import tree_scope
from gonghui.orgs.models import Employer, Node, NodeEvent, UnionStaff


@contextmanager
def acting(user):
    """The scope a request of ``user`` runs in, as ScopeMiddleware opens it."""
    forget(user)
    with tree_scope(subtree_for(user)):
        yield user


def snapshot() -> dict:
    """Everything the orgs services can change, to assert that a refused action changed nothing."""
    with scopes_disabled():
        return {
            "nodes": list(Node.objects.order_by("pk").values()),
            "employers": list(Employer.objects.order_by("pk").values()),
            "staff": list(UnionStaff.objects.order_by("pk").values("pk", "node_id", "name", "kind", "ended_on")),
            "events": NodeEvent.objects.count(),
            "audit": AuditEntry.objects.count(),
        }


def audit_actions(prefix: str = "orgs.") -> list[str]:
    return list(AuditEntry.objects.filter(action__startswith=prefix).values_list("action", flat=True))


def fresh(node: Node) -> Node:
    return Node.objects.get(pk=node.pk)
