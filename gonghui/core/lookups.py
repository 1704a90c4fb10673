"""``path__within=Subtree(...)``: rows whose materialized path lies under any of the given roots.

Materialized paths (django-treebeard MP_Node) make "is in this subtree" a prefix test that the
database answers with an index range scan, so scoping never walks the tree in Python.
"""

from django.db.models import CharField, Lookup


class Subtree:
    """The roots of a scope. Deliberately not a list: django-scopes would turn a list into __in."""

    __slots__ = ("paths",)

    def __init__(self, paths):
        paths = sorted(set(paths))
        # Keep only the topmost roots: a root under another root adds nothing.
        kept: list[str] = []
        for path in paths:
            if not any(path.startswith(root) for root in kept):
                kept.append(path)
        self.paths = tuple(kept)

    def __repr__(self) -> str:
        return f"Subtree({self.paths!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Subtree) and other.paths == self.paths

    def __hash__(self) -> int:
        return hash(self.paths)

    def covers(self, path: str) -> bool:
        return any(path.startswith(root) for root in self.paths)


@CharField.register_lookup
class Within(Lookup):
    lookup_name = "within"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        roots = self.rhs.paths if isinstance(self.rhs, Subtree) else Subtree([self.rhs]).paths
        if not roots:
            return "1 = 0", []
        parts, params = [], []
        for root in roots:
            # Paths use only [0-9A-Z], so no LIKE wildcard can hide in a root.
            parts.append(f"{lhs} LIKE %s")
            params.extend([*lhs_params, root + "%"])
        return "(" + " OR ".join(parts) + ")", params
