"""Reads of funds, projects and awards. Every query runs inside the caller's scope (django-scopes).

Roll-ups (plan vs allocated vs spent) group by the first characters of the materialized path, so
a level of the tree costs one aggregate query per table whatever the number of unions below.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from gonghui.accounts.models import Role
from gonghui.accounts.permissions import allowed
from gonghui.accounts.selectors import holds_role_at_kind
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Node, NodeKind

from .models import (
    Allocation,
    AllocationOrder,
    AwardCall,
    AwardQuota,
    Budget,
    ChairReport,
    FieldMeasure,
    FieldProblem,
    FieldVisit,
    LedgerEntry,
    Nomination,
    Payment,
    PaymentStatus,
    Plan,
    PlanCategory,
    Project,
    ProjectEvent,
    ProjectFile,
    ProjectState,
    ReviewRound,
    WorkGroup,
)
from .workflow import STEP_OF_STATE, event_label


@dataclass
class Balance:
    budget: Decimal
    received: Decimal
    allocated: Decimal
    spent: Decimal

    @property
    def available(self) -> Decimal:
        return self.budget + self.received

    @property
    def free(self) -> Decimal:
        return self.available - self.allocated - self.spent


def balance_for(*, node, year: int, category: PlanCategory) -> Balance:
    """What a union holds for a year and category: its budget, received, handed down, spent."""
    zero = Decimal(0)
    with scopes_disabled():
        budget = Budget.objects.filter(node=node, year=year, category=category).aggregate(s=Sum("amount"))["s"]
        received = Allocation.objects.filter(to_node=node, year=year, category=category).aggregate(
            s=Sum("amount"))["s"]
        allocated = Allocation.objects.filter(from_node=node, year=year, category=category).aggregate(
            s=Sum("amount"))["s"]
        spent = LedgerEntry.objects.filter(node=node, year=year, category=category).aggregate(s=Sum("amount"))["s"]
    return Balance(budget or zero, received or zero, allocated or zero, spent or zero)


ZERO = Decimal(0)


# The unions whose administrators edit the project types: county, city and province federations.
EDITOR_KINDS = {NodeKind.COUNTY, NodeKind.CITY, NodeKind.PROVINCE}


def can_edit_kinds(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return holds_role_at_kind(user, roles=[Role.ADMIN], node_kinds=EDITOR_KINDS)


# The steps of a project that approve its spending: whoever fired one does not pay the subsidy.
SPENDING_APPROVALS = ("approve", "accept")


def payment_done_by(payment: Payment) -> dict:
    """Who prepared the payment and who approved or accepted its project, for the declared exclusions
    of ``funds.payment.approve`` (funds/permissions.py)."""
    done: dict = {"funds.payment.prepare": payment.prepared_by_id}
    if payment.project_id:
        with scopes_disabled():
            for action, actor_id in ProjectEvent.objects.filter(
                    project_id=payment.project_id, action__in=SPENDING_APPROVALS).values_list("action", "actor_id"):
                done.setdefault(f"funds.project.{action}", []).append(actor_id)
    return done


def can_approve(actor, payment: Payment) -> bool:
    return (payment.status == PaymentStatus.PREPARED
            and allowed(actor, "funds.payment.approve", node=payment.node, done_by=payment_done_by(payment)))


def can_reverse(actor, payment: Payment) -> bool:
    return payment.status == PaymentStatus.PAID and allowed(actor, "funds.payment.reverse", node=payment.node)


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- plans, budgets, allocations ---------------------------------------------------------------------

def plan_list(*, node: Node | None = None) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("node").prefetch_related("categories")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return qs.order_by("-start_year", "id")


def access_plan(pk) -> Plan:
    return _get(Plan.objects.select_related("node"), pk)


def categories_for(node: Node, year: int | None = None) -> list[PlanCategory]:
    """Categories of the plans of ``node`` and the unions above it (a township spends the county's
    categories). Read without the scope: the plans above are the frame the node works in."""
    paths = [node.path[:i] for i in range(Node.steplen, len(node.path) + 1, Node.steplen)]
    with scopes_disabled():
        qs = PlanCategory.objects.select_related("plan", "plan__node").filter(plan__node__path__in=paths)
        if year is not None:
            qs = qs.filter(plan__start_year__lte=year, plan__end_year__gte=year)
        return list(qs.order_by("plan__start_year", "plan_id", "id"))


def budget_list(*, node: Node | None = None, year: int | None = None) -> QuerySet[Budget]:
    qs = Budget.objects.select_related("node", "category")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "node__path", "category_id")


def allocation_list(*, node: Node | None = None, year: int | None = None) -> QuerySet[Allocation]:
    qs = Allocation.objects.select_related("from_node", "to_node", "category", "reversal")
    if node is not None:
        qs = qs.filter(to_node__path__startswith=node.path)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-created_at", "-id")


def access_allocation(pk) -> Allocation:
    return _get(Allocation.objects.select_related("from_node", "to_node", "category"), pk)


def allocation_order_list(*, node: Node | None = None, year: int | None = None,
                          status: str = "") -> QuerySet[AllocationOrder]:
    """Orders of unions in the cadre's scope (the giver's subtree), newest first, with their lines."""
    qs = (AllocationOrder.objects.select_related("from_node", "category", "prepared_by", "decided_by")
          .prefetch_related("lines__to_node"))
    if node is not None:
        qs = qs.filter(from_node__path__startswith=node.path)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-prepared_at", "-id")


def access_allocation_order(pk) -> AllocationOrder:
    return _get(AllocationOrder.objects.select_related("from_node", "category").prefetch_related("lines__to_node"), pk)


# --- roll-ups ------------------------------------------------------------------------------------------

@dataclass
class FundsRow:
    node: Node | None = None
    category: PlanCategory | None = None
    budget: Decimal = ZERO      # own budgets
    received: Decimal = ZERO    # handed down from outside (from above)
    allocated: Decimal = ZERO   # handed down from here to unions below
    spent: Decimal = ZERO       # paid out, net of reversals
    extra: dict = field(default_factory=dict)

    @property
    def available(self) -> Decimal:
        return self.budget + self.received

    @property
    def execution(self) -> Decimal | None:
        """Share of the money available (own budget and received) that is spent, in per cent."""
        if not self.available:
            return None
        return (self.spent * 100 / self.available).quantize(Decimal("0.1"))


def _year_filter(year, prefix: str = "") -> Q:
    return Q(**{f"{prefix}year": year}) if year else Q()


def funds_by_child(*, node: Node, year: int | None = None, category: PlanCategory | None = None) -> list[FundsRow]:
    """The union itself and each of its children (with their subtrees): budget, received from
    above, handed down, spent. One aggregate query per table."""
    width = len(node.path) + Node.steplen
    cat = Q(category=category) if category is not None else Q()
    rows: dict[str, FundsRow] = {node.path: FundsRow(node=node)}
    for child in orgs.children_of(node):
        rows[child.path] = FundsRow(node=child)

    def bucket(path: str) -> str:
        return path if len(path) <= len(node.path) else path[:width]

    budgets = (Budget.objects.filter(_year_filter(year), cat, node__path__startswith=node.path)
               .annotate(b=Substr("node__path", 1, width)).values("b").annotate(s=Sum("amount")))
    for r in budgets:
        if r["b"] in rows:
            rows[r["b"]].budget += r["s"] or ZERO
    allocations = (Allocation.objects.filter(_year_filter(year), cat, to_node__path__startswith=node.path)
                   .annotate(t=Substr("to_node__path", 1, width), f=Substr("from_node__path", 1, width))
                   .values("t", "f").annotate(s=Sum("amount")))
    for r in allocations:
        to_b, from_b = bucket(r["t"]), bucket(r["f"]) if r["f"].startswith(node.path) else None
        if to_b != from_b and to_b in rows:
            rows[to_b].received += r["s"]
        if from_b is not None and from_b != to_b and from_b in rows:
            rows[from_b].allocated += r["s"]
        if from_b is not None and from_b == to_b and to_b in rows and to_b != node.path:
            rows[to_b].extra["inside"] = rows[to_b].extra.get("inside", ZERO) + r["s"]
    spent = (LedgerEntry.objects.filter(_year_filter(year), cat, node__path__startswith=node.path)
             .annotate(b=Substr("node__path", 1, width)).values("b").annotate(s=Sum("amount")))
    for r in spent:
        if r["b"] in rows:
            rows[r["b"]].spent += r["s"] or ZERO
    return list(rows.values())


def funds_by_category(*, node: Node, year: int | None = None) -> list[FundsRow]:
    """Per category of the plans in force: the plan's target, the subtree's budgets, what the
    union received from above and handed down, and what its subtree spent."""
    categories = categories_for(node, year)
    rows = {c.pk: FundsRow(node=node, category=c) for c in categories}
    if not rows:
        return []
    ids = list(rows)
    year_q = _year_filter(year)
    for r in (Budget.objects.filter(year_q, category_id__in=ids, node__path__startswith=node.path)
              .values("category_id").annotate(s=Sum("amount"))):
        rows[r["category_id"]].budget = r["s"] or ZERO
    for r in (Allocation.objects.filter(year_q, category_id__in=ids, to_node__path__startswith=node.path)
              .exclude(from_node__path__startswith=node.path).values("category_id").annotate(s=Sum("amount"))):
        rows[r["category_id"]].received = r["s"] or ZERO
    for r in (Allocation.objects.filter(year_q, category_id__in=ids, from_node=node)
              .values("category_id").annotate(s=Sum("amount"))):
        rows[r["category_id"]].allocated = r["s"] or ZERO
    for r in (LedgerEntry.objects.filter(year_q, category_id__in=ids, node__path__startswith=node.path)
              .values("category_id").annotate(s=Sum("amount"))):
        rows[r["category_id"]].spent = r["s"] or ZERO
    return list(rows.values())


def totals(rows: list[FundsRow]) -> FundsRow:
    total = FundsRow()
    for row in rows:
        total.budget += row.budget
        total.received += row.received
        total.allocated += row.allocated
        total.spent += row.spent
    return total


# --- payments and the ledger -------------------------------------------------------------------------

def payment_list(*, node: Node | None = None, status: str = "") -> QuerySet[Payment]:
    qs = Payment.objects.select_related("node", "category", "prepared_by", "decided_by", "payee_node")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-prepared_at", "-id")


def access_payment(pk) -> Payment:
    return _get(Payment.objects.select_related("node", "category", "prepared_by", "decided_by", "project",
                                               "payee_node"), pk)


def ledger_list(*, node: Node | None = None, year: int | None = None) -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.select_related("node", "category", "actor")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-seq")


def pending_payments_count() -> int:
    return Payment.objects.filter(status=PaymentStatus.PREPARED).count()


# --- projects ---------------------------------------------------------------------------------------

def project_list(*, node: Node | None = None, state: str = "", year: int | None = None) -> QuerySet[Project]:
    qs = Project.objects.select_related("node", "reviewer_node", "kind", "category")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-applied_at", "-id")


def access_project(pk) -> Project:
    return _get(Project.objects.select_related("node", "reviewer_node", "kind", "category", "applied_by"), pk)


def project_history(project: Project) -> list:
    events = list(project.events.select_related("actor").order_by("at", "id"))
    for event in events:
        event.label = event_label(event.action)
    return events


def project_files(project: Project):
    return project.files.select_related("uploaded_by").order_by("uploaded_at", "id")


def project_objection(project: Project, pk):
    """One objection raised on this project, or None (also for a pk that is not a number)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return project.objections.filter(pk=pk).first()


def access_project_file(pk) -> ProjectFile:
    return _get(ProjectFile.objects.select_related("project"), pk)


def projects_by_step(*, node: Node | None = None) -> dict[int, int]:
    """How many projects are at each step (1–7; 8 = finished, 0 = not approved)."""
    qs = Project.objects.all()
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    counts: dict[int, int] = defaultdict(int)
    for row in qs.values("state").annotate(n=Count("id")):
        counts[STEP_OF_STATE[ProjectState(row["state"])]] += row["n"]
    return dict(counts)


# --- awards -------------------------------------------------------------------------------------------

def award_call_list(*, node: Node | None = None) -> QuerySet[AwardCall]:
    qs = AwardCall.objects.select_related("node", "category").annotate(nominees=Count("quotas__nominations"))
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return qs.order_by("-year", "-id")


def access_award_call(pk) -> AwardCall:
    return _get(AwardCall.objects.select_related("node", "category"), pk)


def nominations_of(call: AwardCall) -> QuerySet[Nomination]:
    """The nominations a cadre may see: those of their subtree (the organizer sees all)."""
    return (Nomination.objects.filter(quota__call=call).select_related("node", "quota")
            .annotate(scorers=Count("scores")).order_by("quota_id", F("rank").asc(nulls_last=True), "id"))


def access_nomination(pk) -> Nomination:
    return _get(Nomination.objects.select_related("node", "quota", "quota__call", "quota__call__node"), pk)


def access_quota(pk) -> AwardQuota:
    return _get(AwardQuota.objects.select_related("call", "call__node"), pk)


def default_node() -> Node | None:
    """The topmost union of the cadre's scope: where the funds pages start."""
    roots = orgs.scope_roots()
    return roots[0] if roots else None


def categories_by_id(pk) -> PlanCategory:
    """A category usable in the scope: of a plan inside it, or of a plan of a union above it."""
    from gonghui.core.scoping import current_tree, scopes_disabled

    with scopes_disabled():
        category = _get(PlanCategory.objects.select_related("plan", "plan__node"), pk)
    tree = current_tree()
    plan_path = category.plan.node.path
    if tree is not None and not any(root.startswith(plan_path) or plan_path.startswith(root) for root in tree.paths):
        raise Http404
    return category


# --- chair reviews and field work ------------------------------------------------------------------

def review_round_list() -> QuerySet[ReviewRound]:
    return ReviewRound.objects.select_related("node").annotate(report_count=Count("reports")).order_by("-year", "-id")


def access_review_round(pk) -> ReviewRound:
    return _get(ReviewRound.objects.select_related("node"), pk)


def reports_of(round_: ReviewRound) -> QuerySet[ChairReport]:
    return (ChairReport.objects.filter(round=round_).select_related("node").annotate(scorers=Count("scores"))
            .order_by(F("rank").asc(nulls_last=True), "node__path"))


def access_chair_report(pk) -> ChairReport:
    return _get(ChairReport.objects.select_related("node", "round", "round__node"), pk)


def grades_by_node(node_ids, year: int) -> dict[int, ChairReport]:
    """The chair review results of a year for these unions: the reference shown beside award nominees."""
    reports = (ChairReport.objects.filter(node_id__in=list(node_ids), round__year=year, round__closed_at__isnull=False)
               .order_by("node_id", "-round__closed_at"))
    out: dict[int, ChairReport] = {}
    for report in reports:
        out.setdefault(report.node_id, report)
    return out


def work_group_list() -> QuerySet[WorkGroup]:
    return WorkGroup.objects.select_related("node").annotate(visit_count=Count("visits")).order_by("-year", "-id")


def access_work_group(pk) -> WorkGroup:
    return _get(WorkGroup.objects.select_related("node"), pk)


def access_field_visit(pk) -> FieldVisit:
    return _get(FieldVisit.objects.select_related("group", "group__node", "node"), pk)


def access_field_problem(pk) -> FieldProblem:
    return _get(FieldProblem.objects.select_related("visit", "visit__group", "visit__group__node"), pk)


def visits_of(group: WorkGroup):
    return (FieldVisit.objects.filter(group=group).select_related("node")
            .prefetch_related("problems__measures").order_by("on", "id"))


@dataclass
class FieldCounts:
    node: Node | None = None
    visits: int = 0
    opinions: int = 0
    problems: int = 0
    measures: int = 0
    solved: int = 0
    difficulties: int = 0


def field_counts(*, node: Node, year: int | None = None) -> list[FieldCounts]:
    """Opinions heard → problems listed → measures taken → difficulties solved, for the union itself
    and each child subtree (by the union visited). One aggregate query per table."""
    width = len(node.path) + Node.steplen
    rows: dict[str, FieldCounts] = {node.path: FieldCounts(node=node)}
    for child in orgs.children_of(node):
        rows[child.path] = FieldCounts(node=child)
    year_q = Q(group__year=year) if year else Q()
    for r in (FieldVisit.objects.filter(year_q, node__path__startswith=node.path)
              .annotate(b=Substr("node__path", 1, width)).values("b").annotate(n=Count("id"), o=Sum("opinions"))):
        if r["b"] in rows:
            rows[r["b"]].visits, rows[r["b"]].opinions = r["n"], r["o"] or 0
    year_q = Q(visit__group__year=year) if year else Q()
    for r in (FieldProblem.objects.filter(year_q, visit__node__path__startswith=node.path)
              .annotate(b=Substr("visit__node__path", 1, width)).values("b")
              .annotate(n=Count("id"), s=Count("id", filter=Q(solved_on__isnull=False)))):
        if r["b"] in rows:
            rows[r["b"]].problems, rows[r["b"]].solved = r["n"], r["s"]
    year_q = Q(problem__visit__group__year=year) if year else Q()
    for r in (FieldMeasure.objects.filter(year_q, problem__visit__node__path__startswith=node.path)
              .annotate(b=Substr("problem__visit__node__path", 1, width)).values("b")
              .annotate(n=Count("id"), d=Sum("difficulties_solved"))):
        if r["b"] in rows:
            rows[r["b"]].measures, rows[r["b"]].difficulties = r["n"], r["d"] or 0
    return list(rows.values())


def field_total(rows: list[FieldCounts]) -> FieldCounts:
    total = FieldCounts()
    for r in rows:
        for f in ("visits", "opinions", "problems", "measures", "solved", "difficulties"):
            setattr(total, f, getattr(total, f) + getattr(r, f))
    return total
