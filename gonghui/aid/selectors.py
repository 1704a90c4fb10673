"""Reads of aid. Every query runs in the caller's scope (django-scopes); figures come from the ledger."""

import datetime
from decimal import Decimal

from django.core import signing
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.permissions import allowed
from gonghui.core import printed
from gonghui.core.scoping import current_tree, scopes_disabled
from gonghui.orgs.models import Node

from .models import (
    Application,
    Budget,
    ClaimBill,
    ClaimDocument,
    Disbursement,
    Enrolment,
    HardshipFile,
    HardshipStatus,
    MedicalClaim,
    Objection,
    ObjectionStatus,
    Programme,
    Publicity,
    Status,
    Wish,
    WishStatus,
)

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def budget_for(programme: Programme, node) -> Budget | None:
    """The budget an application of ``node`` draws on: the nearest one at the node or above it."""
    paths = [node.path[:i] for i in range(len(node.path), 0, -node.steplen)]
    budgets = {b.node.path: b for b in
               Budget.objects.with_scopes_disabled().select_related("node")
               .filter(programme=programme, node__path__in=paths)}
    return next((budgets[p] for p in paths if p in budgets), None)


def done_by(application: Application) -> dict:
    """Who did what on this application, for the declared exclusions (aid/permissions.py)."""
    return {"aid.application.create": application.entered_by_id,
            "aid.application.first_pass": application.first_reviewed_by_id,
            "aid.application.approve": application.decided_by_id, "aid.application.raise": application.raised_by_id}


def may_raise(actor, application: Application) -> bool:
    """Whether ``actor`` may raise this application above the programme's standard amount."""
    return (application.programme.standard_amount is not None
            and application.status in (Status.SUBMITTED, Status.FIRST_PASSED)
            and allowed(actor, "aid.application.raise", node=application.programme.node,
                        done_by=done_by(application)))


def payment_hold(application: Application, *, today: datetime.date | None = None) -> str:
    """Why the approved ``application`` may not be paid yet ("" when it may): an objection to the
    entry waits for a decision, or (programmes that pay after publicity) its objection period has
    not ended."""
    today = today or timezone.localdate()
    if Objection.objects.with_scopes_disabled().filter(application=application,
                                                       status=ObjectionStatus.PENDING).exists():
        return _("An objection to this entry is waiting for a decision; the payment is held until an aid officer "
                 "decides it.")
    if not application.programme.pay_after_publicity:
        return ""
    ends = list(Publicity.objects.with_scopes_disabled().filter(applications=application)
                .values_list("objection_until", flat=True))
    if not ends:
        return _("This programme pays only after publicity: publish the list with this entry first.")
    if all(end >= today for end in ends):
        return _("The entry is on the publicity list until %(date)s; it can be paid after that day if no "
                 "objection is upheld.") % {"date": date_format(min(ends), "Y-m-d")}
    return ""


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def visible_programmes() -> QuerySet[Programme]:
    """Programmes of the unions in scope, and those of the unions above the scope: a county's
    programme covers its townships, whose cadres see it and apply within their share (their
    budgets, applications and ledger rows stay filtered by their own scope)."""
    return _here_or_above(Programme)


def _here_or_above(model) -> QuerySet:
    """Rows of ``model`` whose union is in the caller's scope or above it."""
    tree = current_tree()
    if tree is None:
        return model.objects.all()
    above = {root[:i] for root in tree.paths for i in range(Node.steplen, len(root), Node.steplen)}
    return model.objects.with_scopes_disabled().filter(Q(node__path__within=tree) | Q(node__path__in=above))


def covers_scope(programme: Programme) -> bool:
    """True when the programme's union is above the whole of the caller's scope (a township
    cadre looking at the county's programme): its figures then show the caller's share only."""
    tree = current_tree()
    return tree is not None and not any(programme.node.path.startswith(root) for root in tree.paths)


def programme_list(*, year: int | None = None, kind: str = "") -> QuerySet[Programme]:
    """Programmes visible to the caller (``visible_programmes``) with the budget, approved and paid
    sums of the caller's share: budgets and ledger rows in scope (three subqueries, no N+1)."""
    qs = visible_programmes().select_related("node")
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    budgets = _in_scope(Budget).filter(programme=OuterRef("pk")).values("programme")
    paid = _in_scope(Disbursement).filter(programme=OuterRef("pk")).values("programme")
    tree = current_tree()
    # A share is carved out of the budget above it: counted once, at the highest budget in scope.
    tops = budgets.filter(Q(parent__isnull=True) | (Q() if tree is None else ~Q(parent__node__path__within=tree)))
    waiting = Q(applications__status__in=(Status.SUBMITTED, Status.FIRST_PASSED))
    if tree is not None:
        waiting &= Q(applications__node__path__within=tree)
    return qs.annotate(
        budget_total=Coalesce(Subquery(tops.annotate(s=Sum("amount")).values("s")), ZERO),
        committed_total=Coalesce(Subquery(budgets.annotate(s=Sum("committed")).values("s")), ZERO),
        paid_total=Coalesce(Subquery(paid.annotate(s=Sum("amount")).values("s")), ZERO),
        pending=Count("applications", filter=waiting),
    ).order_by("-year", "kind", "id")


def _in_scope(model) -> QuerySet:
    """``model`` rows in the caller's scope, as a plain queryset usable inside a subquery."""
    tree = current_tree()
    qs = model.objects.with_scopes_disabled()
    return qs if tree is None else qs.filter(node__path__within=tree)


def access_programme(pk) -> Programme:
    """A programme visible to the caller (in scope, or covering it); others answer 404."""
    return _get(visible_programmes().select_related("node"), pk)


def budgets_of(programme: Programme) -> QuerySet[Budget]:
    """Budgets of the programme in scope, each with what its applications were paid (ledger)."""
    paid = (Disbursement.objects.with_scopes_disabled().filter(application__budget=OuterRef("pk"))
            .values("application__budget").annotate(s=Sum("amount")).values("s"))
    return (Budget.objects.filter(programme=programme).select_related("node")
            .annotate(paid=Coalesce(Subquery(paid), ZERO)).order_by("node__path"))


def application_list(*, programme: Programme | None = None, status: str = "", node=None,
                     within=None) -> QuerySet[Application]:
    qs = Application.objects.select_related("programme", "node")
    if within is not None:
        qs = qs.filter(node__path__within=within)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-id")


def access_application(pk) -> Application:
    return _get(Application.objects.select_related(
        "programme", "programme__node", "node", "member", "hardship", "entered_by", "first_reviewed_by",
        "decided_by"), pk)


def claim_of(application: Application):
    """The medical claim behind an application, if it is one."""
    if not application.repeatable:
        return None
    with scopes_disabled():
        return MedicalClaim.objects.filter(application=application).first()


def bills_of(claim: MedicalClaim) -> list[ClaimBill]:
    with scopes_disabled():
        return list(ClaimBill.objects.filter(claim=claim).order_by("id"))


def documents_of(claim: MedicalClaim) -> list[ClaimDocument]:
    """Photos and PDFs of the claim's bills (the caller has checked who may see them)."""
    with scopes_disabled():
        return list(ClaimDocument.objects.filter(claim=claim).order_by("id"))


def access_claim_document(pk) -> ClaimDocument:
    return _get(ClaimDocument.objects.select_related("claim__application__node"), pk)


def claim_document_of_worker(worker, pk, member=None) -> ClaimDocument:
    """A bill photo of one of the worker's own claims; anyone else's answers 404."""
    condition = Q(claim__application__worker=worker)
    if member is not None:
        condition |= Q(claim__application__member=member)
    with scopes_disabled():
        return _get(ClaimDocument.objects.filter(condition), pk)


STEP_LABELS = {
    "eligible": gettext_lazy("Eligible self-paid amount"), "deductible": gettext_lazy("After the deductible"),
    "ratio": gettext_lazy("Times the payout ratio"), "cap_claim": gettext_lazy("Within the cap per claim"),
    "cap_year": gettext_lazy("Within what is left of the yearly cap"),
}


def payout_steps(claim: MedicalClaim) -> list[tuple[str, str, str]]:
    """(label, rule, amount after the step) for the step-by-step view of a claim's payout."""
    from .money import yuan

    return [(str(STEP_LABELS.get(s["step"], s["step"])), s.get("rule", ""), yuan(Decimal(s["amount"])))
            for s in claim.steps]


def ledger_list(*, programme: Programme | None = None, year: int | None = None, node=None,
                within=None) -> QuerySet[Disbursement]:
    qs = Disbursement.objects.select_related("programme", "node", "application", "recorded_by")
    if within is not None:
        qs = qs.filter(node__path__within=within)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if year:
        qs = qs.filter(programme__year=year)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return qs.order_by("-seq")


def year_figures(*, year: int, node=None, within=None) -> dict:
    """A year's aid per programme kind in scope: people helped, net amount paid, budget and use.

    Amounts are ledger sums (payments minus reversals), so they match the ledger export; a person
    counts as helped when their net payment in the programme is above zero."""
    ledger = ledger_list(year=year, node=node, within=within)
    per_person = (ledger.order_by().values("programme__kind", "application__person_hash")
                  .annotate(net=Sum("amount")).filter(net__gt=0))
    rows: dict[str, dict] = {}
    for row in per_person:
        entry = rows.setdefault(row["programme__kind"], {"people": 0, "paid": Decimal("0.00"), "budget": None})
        entry["people"] += 1
        entry["paid"] += row["net"]
    budgets = Budget.objects.filter(programme__year=year)
    if within is not None:
        budgets = budgets.filter(node__path__within=within)
    if node is not None:
        budgets = budgets.filter(node__path__startswith=node.path)
    for row in budgets.order_by().values("programme__kind").annotate(s=Sum("amount")):
        rows.setdefault(row["programme__kind"], {"people": 0, "paid": Decimal("0.00"), "budget": None})
        rows[row["programme__kind"]]["budget"] = row["s"]
    total = ledger.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    # One person helped by two programmes is one person helped (the statistics' definition).
    from .indicators import people_helped

    return {"by_kind": rows, "paid": total, "people": people_helped(ledger)}


def publicity_list(*, programme: Programme | None = None) -> QuerySet[Publicity]:
    """Lists published in scope or above it: a list is public (masked names), and a township's
    officers must see the county's list to answer objections about their entries."""
    qs = _here_or_above(Publicity).select_related("programme", "node")
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.annotate(rows=Count("applications")).order_by("-published_on", "-id")


def access_publicity(pk) -> Publicity:
    return _get(_here_or_above(Publicity).select_related("programme", "node"), pk)


def publicity_rows(publicity: Publicity) -> QuerySet[Application]:
    return (Application.objects.with_scopes_disabled().filter(publicities=publicity)
            .select_related("node", "programme").order_by("node__path", "id"))


PUBLICITY_SALT = "gonghui.aid.publicity"


def publicity_token(publicity: Publicity) -> str:
    """The token of the list's public link (posted with the list, e.g. as a QR code; anyone holding
    it may look): the list's id signed with the printed-code key (``core.printed``), the same on
    every page."""
    return printed.signer(salt=PUBLICITY_SALT).sign(str(publicity.pk))


def publicity_by_token(token: str) -> Publicity:
    """The list behind a public link; a forged or mangled token answers 404."""
    try:
        pk = int(printed.signer(salt=PUBLICITY_SALT, legacy=True).unsign(token))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    with scopes_disabled():
        return _get(Publicity.objects.select_related("programme", "node"), pk)


def objection_list(*, publicity: Publicity | None = None, status: str = "", within=None) -> QuerySet[Objection]:
    """Objections to entries in scope (the entry's union), newest first."""
    qs = Objection.objects.select_related("application", "application__node", "publicity", "publicity__programme",
                                          "worker", "decided_by")
    if within is not None:
        qs = qs.filter(node__path__within=within)
    if publicity is not None:
        qs = qs.filter(publicity=publicity)
    if status in ObjectionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-filed_at", "-id")


def access_objection(pk) -> Objection:
    return _get(Objection.objects.select_related("application", "application__node", "publicity", "worker"), pk)


def objections_of_worker(worker, publicity: Publicity) -> list[Objection]:
    with scopes_disabled():
        return list(Objection.objects.filter(worker=worker, publicity=publicity).select_related("application")
                    .order_by("filed_at", "id"))


def hardship_list(*, status: str = HardshipStatus.ACTIVE, node=None, within=None,
                  due_before: datetime.date | None = None) -> QuerySet[HardshipFile]:
    qs = HardshipFile.objects.select_related("node")
    if within is not None:
        qs = qs.filter(node__path__within=within)
    if status:
        qs = qs.filter(status=status)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if due_before is not None:
        qs = qs.filter(review_due_on__lte=due_before)
    return qs.order_by("review_due_on", "id")


def access_hardship(pk) -> HardshipFile:
    return _get(HardshipFile.objects.select_related("node", "member"), pk)


def enrolment_list(*, programme: Programme) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(programme=programme).select_related("member", "node").order_by("node__path", "id")


def wish_list(*, status: str = "", within=None) -> QuerySet[Wish]:
    qs = Wish.objects.select_related("node")
    if within is not None:
        qs = qs.filter(node__path__within=within)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-posted_at", "-id")


def access_wish(pk) -> Wish:
    return _get(Wish.objects.select_related("node"), pk)


# --- the worker's own records (no cadre scope: filtered by the worker) ----------------------------------

def public_wishes(limit: int = 50) -> list[Wish]:
    """Open and fulfilled wishes for the public list (names are masked by the page)."""
    with scopes_disabled():
        return list(Wish.objects.select_related("node").filter(
            status__in=(WishStatus.OPEN, WishStatus.CLAIMED, WishStatus.FULFILLED)).order_by("-posted_at")[:limit])


def wish_of_anyone(pk) -> Wish:
    with scopes_disabled():
        return _get(Wish.objects.select_related("node"), pk)


WORKER_APPLICATIONS = 30  # the latest applications a worker's phone lists (the page says so when it is full)


def applications_of_worker(worker, member=None) -> list[Application]:
    """The worker's latest ``WORKER_APPLICATIONS`` applications: filed from their phone, or by a clerk
    for their membership."""
    condition = Q(worker=worker)
    if member is not None:
        condition |= Q(member=member)
    with scopes_disabled():
        return list(Application.objects.filter(condition).select_related("programme", "claim")
                    .order_by("-submitted_at", "-id")[:WORKER_APPLICATIONS])


def application_of_worker(worker, pk, member=None) -> Application:
    """The worker's own application; someone else's answers the same 404 as a missing one."""
    condition = Q(worker=worker)
    if member is not None:
        condition |= Q(member=member)
    with scopes_disabled():
        return _get(Application.objects.filter(condition).select_related("programme", "node"), pk)


def open_medical_programmes(member) -> list[tuple[Programme, Enrolment]]:
    """Medical mutual aid programmes the member is enrolled in and that take claims."""
    with scopes_disabled():
        enrolments = (Enrolment.objects.filter(member=member, programme__is_open=True)
                      .select_related("programme").order_by("-programme__year"))
        return [(e.programme, e) for e in enrolments]


def open_programmes_for(node) -> list[Programme]:
    """Open programmes (other than medical aid and wishes) covering the node, for the worker's form."""
    paths = [node.path[:i] for i in range(node.steplen, len(node.path) + 1, node.steplen)]
    with scopes_disabled():
        return list(Programme.objects.filter(node__path__in=paths, is_open=True)
                    .exclude(kind__in=("medical_mutual_aid", "micro_wish")).order_by("-year", "kind"))


def aid_summary_of_worker(worker, member=None) -> dict:
    """For the worker's "我的" page: aid applications (all, still under review, latest) and their
    micro-wishes (all, still open or claimed): three queries."""
    condition = Q(worker=worker)
    if member is not None:
        condition |= Q(member=member)
    with scopes_disabled():
        qs = Application.objects.filter(condition)
        row = qs.aggregate(total=Count("pk"),
                           pending=Count("pk", filter=Q(status__in=(Status.SUBMITTED, Status.FIRST_PASSED,
                                                                   Status.APPROVED))))
        row["latest"] = qs.order_by("-submitted_at", "-id").first()
        row.update({f"wishes_{k}": v for k, v in Wish.objects.filter(worker=worker).aggregate(
            total=Count("pk"), live=Count("pk", filter=Q(status__in=(WishStatus.OPEN, WishStatus.CLAIMED)))).items()})
    return row


def member_applications(member, *, limit: int) -> list[Application]:
    """In the caller's scope: the member's aid applications, newest first (the console's member page)."""
    return list(Application.objects.filter(member=member).select_related("programme")
                .order_by("-submitted_at")[:limit])


def wishes_of_phone(phone_hash: str, *, limit: int) -> list[Wish]:
    """In the caller's scope: micro-wishes posted from the phone with this keyed hash, newest first."""
    return list(Wish.objects.filter(worker__phone_hash=phone_hash).order_by("-posted_at")[:limit])
