"""Reads of rights cases, mediation figures, check-ups and agreements.

Case visibility is the subtree scope narrowed by role: admins, clerks and reviewers see the cases
of their subtrees; an account whose only link to a case is the mediator role sees the cases it
is invited to or assigned, nothing else. The request's row scope holds no mediator's subtree (the
mediator role reaches no subtree: accounts.permissions.ALL_ROLES), so the case queries here say
in full who sees what (``_visible``) and run with the row scope lifted; the rest runs inside the
caller's scope.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.permissions import allowed, roles_allowed, scope_for
from gonghui.accounts.selectors import holds_role_at_kind
from gonghui.core import editing
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import FEDERATION_KINDS, Node

from .models import (
    Attachment,
    Case,
    CaseEvent,
    Category,
    Checkup,
    CheckupItem,
    CollectiveAgreement,
    Finding,
    Invitation,
    MediationSession,
    Stage,
)
from .workflow import CLAIMANT, HANDLER, MACHINE, MEDIATOR, OPEN_STAGES, Move, action_of

DUE_STAGES = OPEN_STAGES | {Stage.CLOSED}  # a closed case is due its follow-up visit




def _visible(user, code: str = "rights.case.read") -> Q:
    """Every case this user may read: in a subtree where they may do the declared action ``code``,
    assigned to them, or invited to as a mediator who still holds the mediator role over the case's union."""
    within = scope_for(user, code)
    if within is None:
        return Q()
    invited = Invitation.objects.with_scopes_disabled().filter(case=OuterRef("pk"), mediator=user,
                                                                revoked_at__isnull=True)
    mediating = Q(Exists(invited)) & Q(node__path__within=scope_for(user, "rights.case.mediate"))
    return Q(node__path__within=within) | Q(handler=user) | mediating


def overdue_q(today: datetime.date | None = None) -> Q:
    return Q(stage__in=DUE_STAGES, due_on__lt=today or timezone.localdate())


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.with_scopes_disabled().filter(_visible(user))


def home_summary(user, today: datetime.date | None = None) -> dict:
    """Open and overdue cases this user sees (their subtree, or their invitations): one query."""
    return visible_cases(user).aggregate(open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
                                         overdue=Count("id", filter=overdue_q(today)))


def case_list(user, *, node=None, stage: str = "", category: str = "", overdue: bool | None = None,
              query: str = "", open_only: bool = False) -> QuerySet[Case]:
    qs = visible_cases(user).select_related("node", "handler", "employer")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if stage:
        qs = qs.filter(stage=stage)
    if open_only:
        qs = qs.filter(stage__in=OPEN_STAGES)
    if category:
        qs = qs.filter(category=category)
    if overdue is True:
        qs = qs.filter(overdue_q())
    elif overdue is False:
        qs = qs.exclude(overdue_q())
    query = (query or "").strip()
    if query:
        code = "".join(ch for ch in query.upper() if ch.isalnum())
        qs = qs.filter(Q(employer_name__contains=query) | Q(tracking_code=code))
    return qs.order_by("-submitted_at", "-id")


def access_case(user, pk) -> Case:
    """The case if this user may see it; the same 404 for "missing", "not in scope" and "not invited"."""
    try:
        return visible_cases(user).select_related("node", "handler", "employer").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_attachment(user, pk) -> Attachment:
    try:
        return Attachment.objects.with_scopes_disabled().select_related("case").get(pk=pk,
                                                                                    case__in=visible_cases(user))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- who may do what on a case -------------------------------------------------------------------------

def is_handler(actor, case: Case) -> bool:
    return allowed(actor, "rights.case.read", node=case.node)


def is_mediator_of(actor, case: Case) -> bool:
    """Assigned to the case, or invited to it (and still holding the mediator role over its union)."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if case.handler_id == actor.pk:
        return True
    return (allowed(actor, "rights.case.mediate", node=case.node)
            and Invitation.objects.with_scopes_disabled().filter(case=case, mediator=actor,
                                                                 revoked_at__isnull=True).exists())


def may_read_case(actor, case: Case) -> bool:
    return is_handler(actor, case) or is_mediator_of(actor, case)


def is_claimant(worker, case: Case) -> bool:
    return worker is not None and (case.worker_id == worker.pk or (
        bool(case.claimant_phone_hash) and case.claimant_phone_hash == worker.phone_hash))


def may_fire_move(move: Move, case: Case, actor, claimant) -> bool:
    """Whether ``actor`` (a cadre) or ``claimant`` (the worker) may fire the declared ``move`` on ``case``."""
    if claimant is not None:
        return CLAIMANT in move.who and is_claimant(claimant, case)
    if actor is None:
        return False
    if HANDLER in move.who and allowed(actor, action_of(move), node=case.node):
        return True
    # A mediator closes only the mediation they take part in; the union decides the rest.
    return (MEDIATOR in move.who and is_mediator_of(actor, case)
            and (move.name != "close" or case.stage == Stage.MEDIATING))


def available_moves(actor, case: Case) -> list[Move]:
    return [m for m in MACHINE.available(case.stage) if may_fire_move(m, case, actor, None)]


def may_export_full(user, nodes) -> bool:
    """The full export (names and phones unmasked) of cases under ``nodes``: allowed over every one."""
    nodes = list(nodes)
    return bool(nodes) and all(allowed(user, "rights.case.export_full", node=node) for node in nodes)


def format_code(code: str) -> str:
    """A tracking code as shown and read out: groups of four."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def intake_nodes() -> list[Node]:
    """Unions a worker can send a claim to: the county federation and the townships / streets under it."""
    return orgs.active_nodes_to_depth(2)


def is_overdue(case: Case, today: datetime.date | None = None) -> bool:
    return case.stage in DUE_STAGES and case.due_on is not None and case.due_on < (today or timezone.localdate())


def case_history(case: Case, *, for_claimant: bool = False) -> list[CaseEvent]:
    qs = CaseEvent.objects.with_scopes_disabled().filter(case=case).select_related("actor").prefetch_related(
        "attachments")
    if for_claimant:
        qs = qs.filter(visible_to_claimant=True)
    return list(qs.order_by("at", "id"))


def case_invitations(case: Case) -> list[Invitation]:
    return list(Invitation.objects.with_scopes_disabled().filter(case=case).select_related("mediator")
                .order_by("invited_at"))


def case_sessions(case: Case) -> list[MediationSession]:
    return list(MediationSession.objects.with_scopes_disabled().filter(case=case).order_by("held_on", "id"))


# --- the worker's side (no cadre scope: filtered by the worker's own phone) -------------------------------

def _worker_q(worker) -> Q:
    return Q(worker=worker) | Q(claimant_phone_hash=worker.phone_hash)


def cases_of_worker(worker) -> list[Case]:
    with scopes_disabled():
        return list(Case.objects.filter(_worker_q(worker)).select_related("node").order_by("-submitted_at"))


def case_of_worker(worker, pk) -> Case:
    with scopes_disabled():
        try:
            return Case.objects.select_related("node").get(_worker_q(worker), pk=pk)
        except (Case.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def attachment_of_worker(worker, case_pk, pk) -> Attachment:
    case = case_of_worker(worker, case_pk)
    with scopes_disabled():
        try:
            return Attachment.objects.get(case=case, pk=pk, by_claimant=True)
        except (Attachment.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


# --- figures ----------------------------------------------------------------------------------------

@dataclass
class RightsFigures:
    claims: int = 0
    open: int = 0
    overdue: int = 0
    closed: int = 0
    mediated: int = 0
    with_sessions: int = 0
    agreements: int = 0
    amount_recovered: Decimal = Decimal("0.00")
    satisfied: int = 0
    visited: int = 0
    by_category: dict = field(default_factory=dict)

    @property
    def mediation_success_rate(self) -> Decimal | None:
        if not self.with_sessions:
            return None
        return (Decimal(self.agreements * 100) / self.with_sessions).quantize(Decimal("0.1"))

    @property
    def category_rows(self) -> list[tuple[str, int]]:
        labels = dict(Category.choices)
        return [(labels.get(code, code), n) for code, n in self.by_category.items()]

    @property
    def satisfaction_rate(self) -> Decimal | None:
        if not self.visited:
            return None
        return (Decimal(self.satisfied * 100) / self.visited).quantize(Decimal("0.1"))


def _figures(qs: QuerySet[Case], today) -> dict:
    has_session = MediationSession.objects.with_scopes_disabled().filter(case=OuterRef("pk"))
    return qs.aggregate(
        claims=Count("id"),
        open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
        overdue=Count("id", filter=overdue_q(today)),
        closed=Count("id", filter=Q(stage__in=[Stage.CLOSED, Stage.VISITED])),
        mediated=Count("id", filter=Q(stage__in=[Stage.CLOSED, Stage.VISITED], mediated=True)),
        with_sessions=Count("id", filter=Q(Exists(has_session))),
        agreements=Count("agreement"),
        amount_recovered=Sum("amount_recovered", filter=Q(stage__in=[Stage.CLOSED, Stage.VISITED])),
        satisfied=Count("id", filter=Q(satisfaction__in=["satisfied", "basically"])),
        visited=Count("id", filter=Q(stage=Stage.VISITED)),
    )


def rights_figures(user, *, node=None, since: datetime.date | None = None,
                   until: datetime.date | None = None) -> RightsFigures:
    """The roll-up of a subtree (or the user's whole view): the figures a work report quotes."""
    qs = Case.objects.with_scopes_disabled().filter(_visible(user, "rights.figures.view"))
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if since:
        qs = qs.filter(submitted_at__date__gte=since)
    if until:
        qs = qs.filter(submitted_at__date__lte=until)
    figures = RightsFigures(**{k: v or 0 for k, v in _figures(qs, timezone.localdate()).items()})
    figures.amount_recovered = Decimal(figures.amount_recovered or 0).quantize(Decimal("0.01"))
    figures.by_category = {row["category"]: row["n"]
                           for row in qs.values("category").annotate(n=Count("id")).order_by("-n", "category")}
    return figures


def child_figures(user, node) -> list[tuple[object, dict]]:
    """Per child union of ``node``: claims, closed, overdue and amount recovered — one query."""
    from gonghui.orgs.models import Node

    width = len(node.path) + Node.steplen
    today = timezone.localdate()
    rows = (Case.objects.with_scopes_disabled().filter(_visible(user, "rights.figures.view"))
            .filter(node__path__startswith=node.path).exclude(node__path=node.path)
            .annotate(bucket=Substr("node__path", 1, width)).values("bucket")
            .annotate(claims=Count("id"), overdue=Count("id", filter=overdue_q(today)),
                      closed=Count("id", filter=Q(stage__in=[Stage.CLOSED, Stage.VISITED])),
                      amount=Sum("amount_recovered", filter=Q(stage__in=[Stage.CLOSED, Stage.VISITED]))))
    by_bucket = {row["bucket"]: {**row, "amount": Decimal(row["amount"] or 0).quantize(Decimal("0.01"))}
                 for row in rows}
    children = Node.scoped.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path")
    return [(child, by_bucket.get(child.path, {"claims": 0, "overdue": 0, "closed": 0, "amount": Decimal("0.00")}))
            for child in children]


def overdue_by_node() -> list[tuple[object, list[Case]]]:
    """For the daily digest (system work, whole tree): overdue cases grouped by handling union."""
    with scopes_disabled():
        cases = list(Case.objects.filter(overdue_q()).select_related("node", "handler").order_by("node__path",
                                                                                                  "due_on"))
    grouped: dict = {}
    for case in cases:
        grouped.setdefault(case.node, []).append(case)
    return list(grouped.items())


def stage_due_on(days) -> list[Case]:
    """Cases whose current stage (or follow-up visit) falls due on one of ``days``, for the reminders
    (system work, whole tree)."""
    with scopes_disabled():
        return list(Case.objects.filter(stage__in=DUE_STAGES, due_on__in=list(days)).select_related("node", "handler")
                    .order_by("node__path", "due_on", "id"))


# --- check-ups and collective agreements ------------------------------------------------------------------

def checkup_list(*, node=None, employer=None) -> QuerySet[Checkup]:
    qs = Checkup.objects.select_related("employer", "node").annotate(
        risks=Count("findings", filter=Q(findings__result=Finding.Result.RISK)),
        open_risks=Count("findings", filter=Q(findings__result=Finding.Result.RISK,
                                              findings__rectified_on__isnull=True)))
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if employer is not None:
        qs = qs.filter(employer=employer)
    return qs.order_by("-visited_on", "-id")


def access_checkup(pk) -> Checkup:
    try:
        return Checkup.objects.select_related("employer", "node").get(pk=pk)
    except (Checkup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def checklist_items(*, retired: bool = False) -> QuerySet[CheckupItem]:
    """The check-up template: the active items in order, or the retired ones (latest first)."""
    if retired:
        return CheckupItem.objects.filter(active=False).select_related("replaces").order_by("-retired_at", "-id")
    return CheckupItem.objects.filter(active=True).select_related("replaces").order_by("order", "id")


ITEM_VERSION_FIELDS = ("title", "basis", "active", "retired_at")


def item_version(item: CheckupItem) -> str:
    """The version an edit of an item's wording carries (``core.editing``): its wording and whether
    it is in use; not its place in the list (reordering is no conflict)."""
    return editing.version_of(item, ITEM_VERSION_FIELDS)


def is_item_used(item: CheckupItem) -> bool:
    """Answered by some check-up anywhere (the whole tree, not the editor's scope)."""
    return Finding.objects.with_scopes_disabled().filter(item=item).exists()


def may_edit_checklist(user) -> bool:
    """Admins and clerks of a county, city or province federation (or a superuser)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return holds_role_at_kind(user, roles=roles_allowed("rights.checklist.edit"), node_kinds=FEDERATION_KINDS)


def access_checklist_item(pk) -> CheckupItem:
    try:
        return CheckupItem.objects.get(pk=pk)
    except (CheckupItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def checkup_findings(checkup: Checkup) -> list[Finding]:
    return list(checkup.findings.select_related("item").order_by("position", "id"))


def agreement_list(*, node=None, renewal_due_within: int | None = None) -> QuerySet[CollectiveAgreement]:
    qs = CollectiveAgreement.objects.select_related("node", "employer")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if renewal_due_within is not None:
        qs = qs.filter(expires_on__lte=timezone.localdate() + datetime.timedelta(days=renewal_due_within))
    return qs.order_by("expires_on", "id")


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1")) if whole else None


def agreement_coverage(node) -> dict:
    """Among the unionized employers of the subtree: the share with an agreement in force (集体合同覆盖),
    with a workers' congress (职代会建制率) and with open factory affairs (厂务公开建制率). One query."""
    from gonghui.orgs.models import Employer

    today = timezone.localdate()
    active = CollectiveAgreement.objects.filter(employer=OuterRef("pk"), expires_on__gte=today)
    row = (Employer.objects.filter(node__path__startswith=node.path, union__isnull=False)
           .aggregate(unionized=Count("id"), covered=Count("id", filter=Q(Exists(active))),
                      congress=Count("id", filter=Q(Exists(active.filter(has_congress=True)))),
                      open_affairs=Count("id", filter=Q(Exists(active.filter(has_open_affairs=True))))))
    in_force = CollectiveAgreement.objects.filter(node__path__startswith=node.path, expires_on__gte=today)
    totals = in_force.aggregate(agreements=Count("id"), workers=Sum("workers_covered"),
                                renewal_due=Count("id", filter=Q(expires_on__lte=today + datetime.timedelta(days=90))))
    return {**row, "agreements": totals["agreements"], "workers_covered": totals["workers"] or 0,
            "renewal_due": totals["renewal_due"], "coverage_rate": _rate(row["covered"], row["unionized"]),
            "congress_rate": _rate(row["congress"], row["unionized"]),
            "open_affairs_rate": _rate(row["open_affairs"], row["unionized"])}


def checkup_figures(node) -> dict:
    visits = Checkup.objects.filter(node__path__startswith=node.path)
    findings = Finding.objects.filter(checkup__node__path__startswith=node.path, result=Finding.Result.RISK)
    today = timezone.localdate()
    return {**visits.aggregate(visits=Count("id"), employers=Count("employer", distinct=True)),
            **findings.aggregate(risks=Count("id"), rectified=Count("id", filter=Q(rectified_on__isnull=False)),
                                 rectification_overdue=Count("id", filter=Q(rectified_on__isnull=True,
                                                                            rectify_by__lt=today)))}


def access_finding(pk) -> Finding:
    try:
        return Finding.objects.select_related("checkup", "checkup__node").get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def claims_summary_of_worker(worker) -> dict:
    """For the worker's "我的" page: their claims still open, all of them, and the latest one (with
    its stage): two queries."""
    with scopes_disabled():
        qs = Case.objects.filter(_worker_q(worker))
        row = qs.aggregate(total=Count("pk"), open=Count("pk", filter=Q(stage__in=OPEN_STAGES)))
        row["latest"] = qs.order_by("-submitted_at", "-pk").first()
    return row


def cases_of_phone(phone_hash: str, *, limit: int) -> list[Case]:
    """In the caller's scope: claims made from the phone with this keyed hash, newest first."""
    return list(Case.objects.filter(claimant_phone_hash=phone_hash).order_by("-submitted_at")[:limit])
