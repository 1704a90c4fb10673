"""Subtree scoping in the query layer (the django-scopes pattern).

Scoped models declare ``objects = ScopedManager(tree="<path to node>__path__within")``. A query
on them outside ``with scope(tree=...)`` raises ``ScopeError``: a forgotten filter fails loudly
in tests instead of leaking another union's data. The request middleware opens the scope of the
signed-in cadre; jobs and commands that legitimately see everything say so with
``scopes_disabled()``.
"""

from django_scopes import ScopedManager, scope, scopes_disabled
from django_scopes.exceptions import ScopeError

from .lookups import Subtree

__all__ = ["ScopeError", "ScopedManager", "Subtree", "scope", "scopes_disabled", "tree_scope", "current_tree"]


def tree_scope(subtree: Subtree | None):
    """Open the scope of a set of subtree roots; None means the whole tree (system work)."""
    return scope(tree=subtree)


def current_tree() -> Subtree | None:
    """The roots of the active scope; raises ScopeError when no scope is active."""
    from django_scopes.state import get_scope

    state = get_scope()
    if not state.get("_enabled", True):
        return None
    if "tree" not in state:
        raise ScopeError("A scope on dimension(s) tree needs to be active for this query.")
    return state["tree"]
