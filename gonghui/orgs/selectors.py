"""Reads of the tree, the ledger and staff. Every query runs inside the caller's scope."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Length, Substr
from django.http import Http404

from gonghui.core import editing
from gonghui.core.scoping import current_tree

from .models import (
    GRASSROOTS_KINDS,
    Employer,
    Node,
    NodeEvent,
    NodeStatus,
    StaffKind,
    StaffTarget,
    UnionStaff,
)

NODE_VERSION_FIELDS = (  # see node_version
    "name", "short_name", "kind", "region_code", "region_name", "address", "latitude", "longitude",
    "credit_code", "established_on", "chair_name", "full_time_staff", "is_legal_person",
    "is_registration_office", "six_haves", "worker_count", "member_count", "status",
)


def node_version(node: Node) -> str:
    """The version an edit form of a union carries (``core.editing``): its own fields and status;
    not its place in the tree (adding a subordinate union or moving the subtree is no conflict)."""
    return editing.version_of(node, NODE_VERSION_FIELDS)


def node_list() -> QuerySet[Node]:
    return Node.scoped.all().order_by("path")


def access_node(pk) -> Node:
    """The node if it exists inside the scope; the same 404 for "missing" and "not yours"."""
    try:
        return Node.scoped.get(pk=pk)
    except (Node.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_node_by_code(code: str) -> Node:
    try:
        return Node.scoped.get(code=code)
    except Node.DoesNotExist:
        raise Http404 from None


def scope_roots() -> list[Node]:
    """The topmost nodes the current scope reaches (the roots of the console's tree browser)."""
    tree = current_tree()
    if tree is None:
        return list(Node.get_root_nodes())
    return list(Node.scoped.filter(path__in=tree.paths).order_by("path"))


def children_of(node: Node) -> QuerySet[Node]:
    return Node.scoped.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")


def ancestors_in_scope(node: Node) -> list[Node]:
    paths = [node.path[:i] for i in range(Node.steplen, len(node.path), Node.steplen)]
    return list(Node.scoped.filter(path__in=paths).order_by("depth"))


def with_parent_id(qs: QuerySet[Node]) -> QuerySet[Node]:
    """Annotate ``parent_pk`` (treebeard keeps no parent column; the parent's path is ours minus a step)."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Node.steplen)
    return qs.annotate(parent_pk=Subquery(Node.scoped.filter(path=parent_path).values("pk")[:1]))


def search_nodes(query: str, *, limit: int | None = 50) -> QuerySet[Node]:
    """By name, short name or pinyin initials (qsxzgh finds 青山县总工会)."""
    query = query.strip()
    if not query:
        return Node.scoped.none()
    condition = Q(name__icontains=query) | Q(short_name__icontains=query)
    if query.isascii() and query.isalpha():
        condition |= Q(pinyin_initials__startswith=query.lower()) | Q(pinyin__startswith=query.lower())
    qs = Node.scoped.filter(condition).order_by("depth", "path")
    return qs[:limit] if limit else qs


def node_history(node: Node) -> QuerySet[NodeEvent]:
    """The union's history, latest first (the page shows it a page at a time)."""
    return NodeEvent.objects.filter(node=node).select_related("actor")


def rate(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, or None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rollup:
    nodes: int
    grassroots_unions: int
    employers: int
    unionized_employers: int
    employees: int
    employees_unionized: int
    members: int
    workers: int

    @property
    def unionization_rate(self) -> Decimal | None:  # 建会率
        return rate(self.unionized_employers, self.employers)

    @property
    def membership_rate(self) -> Decimal | None:  # 入会率
        return rate(self.members, self.workers)

    @property
    def to_organize(self) -> int:
        return self.employers - self.unionized_employers


# Members are counted by the members app when it is installed (it registers itself in its
# AppConfig.ready); before that the declared figure of each node stands in. orgs never imports
# members: the dependency points the other way.
_member_counter = None


def register_member_counter(counter) -> None:
    """``counter(prefix, *, exclude_path=None, width=None)`` -> int, or {path bucket: int} with width."""
    global _member_counter
    _member_counter = counter


def _node_counts(filter_q: Q, group_by=None):
    qs = Node.scoped.filter(filter_q).exclude(status=NodeStatus.MERGED)
    # Aliases are prefixed: a bare "members" would collide with the reverse relation of the
    # members app's Member.node and silently aggregate the wrong thing.
    aggregates = dict(
        n_nodes=Count("id", filter=Q(status=NodeStatus.ACTIVE)),
        n_grassroots=Count("id", filter=Q(status=NodeStatus.ACTIVE, kind__in=GRASSROOTS_KINDS)),
        n_members=Sum("member_count", filter=Q(status=NodeStatus.ACTIVE)),
        n_workers=Sum("worker_count", filter=Q(status=NodeStatus.ACTIVE)),
    )
    if group_by is None:
        return qs.aggregate(**aggregates)
    # order_by() clears treebeard's default ORDER BY path, which would otherwise join the GROUP BY
    # and split every bucket into one row per node.
    return qs.order_by().annotate(bucket=group_by).values("bucket").annotate(**aggregates)


def _employer_counts(filter_q: Q, group_by=None):
    qs = Employer.objects.filter(filter_q)
    aggregates = dict(
        n_employers=Count("id"),
        n_unionized=Count("id", filter=Q(union__isnull=False)),
        n_employees=Sum("employee_count"),
        n_employees_unionized=Sum("employee_count", filter=Q(union__isnull=False)),
    )
    if group_by is None:
        return qs.aggregate(**aggregates)
    return qs.order_by().annotate(bucket=group_by).values("bucket").annotate(**aggregates)


def _rollup(n: dict, e: dict) -> Rollup:
    return Rollup(
        nodes=n.get("n_nodes") or 0, grassroots_unions=n.get("n_grassroots") or 0,
        employers=e.get("n_employers") or 0, unionized_employers=e.get("n_unionized") or 0,
        employees=e.get("n_employees") or 0, employees_unionized=e.get("n_employees_unionized") or 0,
        members=n.get("n_members") or 0, workers=n.get("n_workers") or 0,
    )


def node_rollup(node: Node) -> Rollup:
    """Counts of the node's whole subtree: aggregate queries on path prefixes."""
    counts = _node_counts(Q(path__startswith=node.path))
    if _member_counter is not None:
        counts["n_members"] = _member_counter(node.path)
    return _rollup(counts, _employer_counts(Q(node__path__startswith=node.path)))


def scope_rollup() -> Rollup:
    """Counts over everything the current scope reaches."""
    counts = _node_counts(Q())
    if _member_counter is not None:
        counts["n_members"] = _member_counter("")
    return _rollup(counts, _employer_counts(Q()))


def child_rollups(node: Node) -> list[tuple[Node, Rollup]]:
    """Each child with its subtree's counts, in three queries whatever the tree's size.

    Descendants are bucketed by the first (depth + 1) steps of their path, which is the path of
    the child they sit under.
    """
    children = list(children_of(node))
    if not children:
        return []
    width = (node.depth + 1) * Node.steplen
    below = Q(path__startswith=node.path) & ~Q(path=node.path)
    nodes = {row["bucket"]: row for row in _node_counts(below, Substr("path", 1, width))}
    if _member_counter is not None:
        members = _member_counter(node.path, exclude_path=node.path, width=width)
        for bucket, row in nodes.items():
            row["n_members"] = members.get(bucket, 0)
    employers = {row["bucket"]: row for row in _employer_counts(
        Q(node__path__startswith=node.path) & ~Q(node__path=node.path), Substr("node__path", 1, width))}
    return [(child, _rollup(nodes.get(child.path, {}), employers.get(child.path, {}))) for child in children]


def kind_breakdown(node: Node) -> list[tuple[str, str, int]]:
    rows = (Node.scoped.filter(path__startswith=node.path, status=NodeStatus.ACTIVE)
            .values("kind").annotate(n=Count("id")).order_by("-n"))
    labels = dict(Node._meta.get_field("kind").choices)
    return [(row["kind"], labels.get(row["kind"], row["kind"]), row["n"]) for row in rows]


def employer_list(*, node: Node | None = None, query: str = "", unionized: bool | None = None,
                  sector: str = "") -> QuerySet[Employer]:
    qs = Employer.objects.select_related("node", "union", "follow_up_by")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if query:
        condition = Q(name__icontains=query) | Q(credit_code__iexact=query.strip())
        if query.isascii() and query.isalpha():
            condition |= Q(pinyin_initials__startswith=query.lower())
        qs = qs.filter(condition)
    if unionized is not None:
        qs = qs.filter(union__isnull=not unionized)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("name", "id")


def access_employer(pk) -> Employer:
    try:
        return Employer.objects.select_related("node", "union", "follow_up_by").get(pk=pk)
    except (Employer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def employers_to_organize(node: Node) -> QuerySet[Employer]:
    """Employers still without a union, largest first: where organizing pays off most."""
    return employer_list(node=node, unionized=False).order_by("-employee_count", "name")


@dataclass(frozen=True)
class TargetStatus:
    node: Node
    kind: str
    year: int
    target: int
    actual: int

    @property
    def met(self) -> bool:
        return self.actual >= self.target

    @property
    def kind_label(self) -> str:
        return StaffKind(self.kind).label


def staff_list(node: Node) -> QuerySet[UnionStaff]:
    return UnionStaff.objects.filter(node__path__startswith=node.path).select_related("node")


def staff_targets(node: Node, year: int) -> list[TargetStatus]:
    """Targets set on nodes in the subtree, with the staff in post counted under each target node."""
    targets = list(StaffTarget.objects.filter(node__path__startswith=node.path, year=year).select_related("node"))
    if not targets:
        return []
    condition = Q()
    for t in targets:
        condition |= Q(node__path__startswith=t.node.path, kind=t.kind)
    staff = list(UnionStaff.objects.filter(condition, ended_on__isnull=True).values_list("node__path", "kind"))
    result = []
    for t in targets:
        actual = sum(1 for path, kind in staff if kind == t.kind and path.startswith(t.node.path))
        result.append(TargetStatus(node=t.node, kind=t.kind, year=year, target=t.target, actual=actual))
    return sorted(result, key=lambda s: (s.node.path, s.kind))


STAFF_KIND_LABELS = dict(StaffKind.choices)


def destination_by_code(code: str) -> Node | None:
    """An active node anywhere in the tree, by its code: the far end of a transfer, which the
    requester may not otherwise see. Only its name and code are shown to them."""
    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        return Node.scoped.filter(code=(code or "").strip().upper(), status=NodeStatus.ACTIVE).first()


def active_nodes_to_depth(depth: int) -> list[Node]:
    """Active unions of the first ``depth`` levels of the whole tree (no scope), in tree order: e.g.
    the county federation and the townships a worker may send a claim to."""
    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        return list(Node.objects.filter(depth__lte=depth, status=NodeStatus.ACTIVE).order_by("path"))


def employer_named(name: str, *, within: Node | None = None) -> Employer | None:
    """The ledger's employer of that exact name (or 18-character credit code), anywhere (no scope)
    or in the top-level union of ``within``."""
    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        qs = Employer.objects.select_related("node")
        if within is not None:
            qs = qs.filter(node__path__startswith=within.path[:Node.steplen])
        return qs.filter(name=name).first() or (qs.filter(credit_code=name.upper()).first() if len(name) == 18 else None)


def credit_code_on_another_union(code: str, *, but) -> bool:
    """Whether a union other than the one with pk ``but`` carries this credit code, anywhere (no scope)."""
    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        return Node.objects.filter(credit_code=code).exclude(pk=but).exists()
