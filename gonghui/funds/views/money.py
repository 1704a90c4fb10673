"""Console pages of the money: the funds home (plan vs allocated vs spent), plans, budgets,
allocations, payments and the ledger."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.aid.idempotency import form_token, submit_once
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.paging import Chooser, chooser, paged
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import NodeKind

from .. import exports, selectors
from ..forms import AllocationForm, BudgetForm, PaymentForm, PlanForm
from ..models import CategoryKind, PaymentStatus
from ..services import allocations as allocation_orders
from ..services import ledger
from ..workflow import STEPS


def unions_under(request, node, *, exclude_self: bool = False) -> Chooser:
    """The active unions of ``node``'s subtree a select offers: all when few, else the first ones with
    "showing N of M" and a search by name, short name or pinyin initials (``?uq=``)."""
    rows = orgs.node_list().filter(path__startswith=node.path, status="active")
    if exclude_self:
        rows = rows.exclude(pk=node.pk)
    return chooser(request, rows.order_by("path"),
                   search=lambda rows, term: rows.filter(pk__in=orgs.search_nodes(term, limit=None).values("pk")))


def node_and_year(request):
    """The union (``?node=``, else the top of the cadre's scope) and the year (``?year=``, else this one)."""
    pk = request.GET.get("node") or request.POST.get("node")
    node = orgs.access_node(pk) if pk else selectors.default_node()
    if node is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return node, max(2000, min(year, 2100))


@cadre_required
def home(request):
    node, year = node_and_year(request)
    by_category = selectors.funds_by_category(node=node, year=year)
    by_child = selectors.funds_by_child(node=node, year=year)
    steps = selectors.projects_by_step(node=node)
    return render(request, "funds/home.html", {
        "node": node, "year": year, "years": range(year - 2, year + 2), "by_category": by_category,
        "by_category_total": selectors.totals(by_category), "by_child": by_child,
        "steps": [(n, label, steps.get(n, 0)) for n, label in STEPS] + [(8, _("Finished"), steps.get(8, 0))],
        "rejected": steps.get(0, 0), "pending_payments": selectors.pending_payments_count(),
        "calls": selectors.award_call_list()[:5],
        "roots": orgs.scope_roots(),
    })


@cadre_required
def plan_list(request):
    node, _year = node_and_year(request)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rows = []
        for i in range(PlanForm.ROWS):
            name = request.POST.get(f"cat_name_{i}", "").strip()
            if name:
                rows.append({"name": name, "kind": request.POST.get(f"cat_kind_{i}", ""),
                             "target_amount": request.POST.get(f"cat_amount_{i}", ""),
                             "target_count": _int(request.POST.get(f"cat_count_{i}")),
                             "target_unit": request.POST.get(f"cat_unit_{i}", "")})
        try:
            plan = ledger.create_plan(node=node, actor=request.user, categories=rows, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("funds:plan", pk=plan.pk)
    plans = []
    for plan in selectors.plan_list(node=node):
        plans.append((plan, selectors.funds_by_category(node=plan.node, year=None)))
    return render(request, "funds/plans.html", {"node": node, "plans": plans, "form": form,
                                                "rows": range(PlanForm.ROWS), "kinds": CategoryKind.choices})


def _int(value) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return -1


@cadre_required
def plan_detail(request, pk):
    plan = selectors.access_plan(pk)
    rows = {r.category.pk: r for r in selectors.funds_by_category(node=plan.node, year=None)}
    years = []
    for year in range(plan.start_year, plan.end_year + 1):
        yearly = {r.category.pk: r for r in selectors.funds_by_category(node=plan.node, year=year)}
        years.append((year, [yearly.get(c.pk) for c in plan.categories.all()]))
    return render(request, "funds/plan.html", {
        "plan": plan, "categories": [(c, rows.get(c.pk)) for c in plan.categories.all()], "years": years})


@cadre_required
def budgets(request):
    node, year = node_and_year(request)
    categories = selectors.categories_for(node)
    form = BudgetForm(request.POST or None, categories=categories, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            ledger.set_budget(node=node, year=form.cleaned_data["year"], amount=form.cleaned_data["amount"],
                              category=selectors.categories_by_id(form.cleaned_data["category"]), actor=request.user)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Budget saved."))
            return redirect(f"{request.path}?node={node.pk}&year={form.cleaned_data['year']}")
    rows = Paginator(selectors.budget_list(node=node, year=year), 100).get_page(request.GET.get("page"))
    return render(request, "funds/budgets.html", {"node": node, "year": year, "form": form, "page": rows})


@cadre_required
def allocations(request):
    """Orders handing money down (prepared by one cadre, approved by another) and the booked allocations."""
    node, year = node_and_year(request)
    targets = unions_under(request, node, exclude_self=True)
    form = AllocationForm(request.POST or None, categories=selectors.categories_for(node), targets=targets.rows,
                          node_kinds=NodeKind.choices, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def prepare() -> str:
            category = selectors.categories_by_id(data["category"])
            if data["mode"] == "rule":
                allocation_orders.prepare_allocation_by_rule(
                    actor=request.user, from_node=node, node_kind=data["node_kind"], amount_each=data["amount"],
                    year=data["year"], category=category, kind=data["kind"], note=data["note"])
            else:
                if not data["to_node"]:
                    raise DomainError("no_targets", _("Choose the receiving union."), field="to_node")
                allocation_orders.prepare_allocation(
                    actor=request.user, from_node=node, targets=[(orgs.access_node(data["to_node"]), data["amount"])],
                    year=data["year"], category=category, kind=data["kind"], note=data["note"])
            return f"{request.path}?node={node.pk}&year={data['year']}"

        try:
            address, replayed = submit_once(request, operation="funds.allocation.create", do=prepare)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("This form was already submitted; one allocation order was prepared.")
                             if replayed else _("Allocation order prepared; another cadre approves it before the "
                                                "money is handed down."))
            return redirect(address)
    waiting_page, query = paged(request, selectors.allocation_order_list(node=node, year=year, status="prepared"),
                                50, key="wpage")
    waiting = [(order, allowed(request.user, "funds.allocation.approve", node=order.from_node,
                               done_by={"funds.allocation.create": order.prepared_by_id}),
                allowed(request.user, "funds.allocation.reject", node=order.from_node))
               for order in waiting_page]
    page = Paginator(selectors.allocation_list(node=node, year=year), 100).get_page(request.GET.get("page"))
    return render(request, "funds/allocations.html", {"node": node, "year": year, "form": form, "page": page,
                                                      "waiting": waiting, "waiting_page": waiting_page,
                                                      "query": query, "targets": targets,
                                                      "can_correct": allowed(request.user, "funds.allocation.reverse", node=node),
                                                      "form_token": form_token(request)})


@require_POST
@cadre_required
def allocation_order_decide(request, pk, decision):
    """Approve (books the lines) or reject (with a reason) an allocation order."""
    order = selectors.access_allocation_order(pk)
    try:
        if decision == "approve":
            allocation_orders.approve_allocation(actor=request.user, order=order)
        else:
            allocation_orders.reject_allocation(actor=request.user, order=order, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Allocation order approved; the money is handed down.") if decision == "approve"
                         else _("Allocation order rejected."))
    return redirect(f"{reverse('funds:allocations')}?node={order.from_node_id}&year={order.year}")


@require_POST
@cadre_required
def allocation_reverse(request, pk):
    allocation = selectors.access_allocation(pk)
    try:
        ledger.reverse_allocation(allocation=allocation, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Allocation reversed."))
    return redirect(f"{reverse('funds:allocations')}?node={allocation.from_node_id}&year={allocation.year}")


@cadre_required
def payments(request):
    node, year = node_and_year(request)
    status = request.GET.get("status", "")
    if status not in PaymentStatus.values:
        status = ""
    payees = unions_under(request, node)
    form = PaymentForm(request.POST or None, categories=selectors.categories_for(node), payees=payees.rows,
                       initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def prepare() -> str:
            payment = ledger.prepare_payment(
                node=node, year=data["year"], category=selectors.categories_by_id(data["category"]),
                amount=data["amount"], purpose=data["purpose"], actor=request.user,
                payee_node=orgs.access_node(data["payee_node"]) if data["payee_node"] else None,
                payee_name=data["payee_name"])
            return reverse("funds:payment", kwargs={"pk": payment.pk})

        try:
            address, replayed = submit_once(request, operation="funds.payment.prepare", do=prepare)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("This form was already submitted; the payment was prepared once.") if replayed
                             else _("Payment prepared; a finance officer must approve it."))
            return redirect(address)
    page = Paginator(selectors.payment_list(node=node, status=status), 50).get_page(request.GET.get("page"))
    return render(request, "funds/payments.html", {"node": node, "year": year, "form": form, "page": page,
                                                   "status": status, "statuses": PaymentStatus.choices, "payees": payees,
                                                   "form_token": form_token(request)})


@cadre_required
def payment_detail(request, pk):
    payment = selectors.access_payment(pk)
    if request.method == "POST":
        decision, reason = request.POST.get("decision"), request.POST.get("reason", "")
        try:
            if decision == "approve":
                ledger.approve_payment(payment=payment, actor=request.user)
                messages.success(request, _("Approved and entered in the ledger."))
            elif decision == "reject":
                ledger.reject_payment(payment=payment, actor=request.user, reason=reason)
                messages.success(request, _("Rejected."))
            elif decision == "reverse":
                ledger.reverse_payment(payment=payment, actor=request.user, reason=reason)
                messages.success(request, _("Reversed by a new ledger entry."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("funds:payment", pk=payment.pk)
    payment = selectors.access_payment(pk)
    return render(request, "funds/payment.html", {
        "p": payment, "entries": payment.entries.select_related("actor").order_by("seq"),
        "can_approve": selectors.can_approve(request.user, payment),
        "can_reverse": payment.status == PaymentStatus.PAID and selectors.can_reverse(request.user, payment)})


@cadre_required
def ledger_list(request):
    node, year = node_and_year(request)
    page = Paginator(selectors.ledger_list(node=node, year=year), 100).get_page(request.GET.get("page"))
    return render(request, "funds/ledger.html", {"node": node, "year": year, "page": page})


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@cadre_required
@replica_reads
def ledger_export(request):
    """The ledger of the union's subtree for the year as xlsx; audited."""
    node, year = node_and_year(request)
    content, count = exports.ledger_workbook(selectors.ledger_list(node=node, year=year),
                                             title=_("Payment ledger") + f" {year}", exported_by=str(request.user))
    audit("funds.ledger.exported", actor=request.user, obj=node, data={"year": year, "rows": count})
    return _xlsx(content, f"ledger-{node.code}-{year}.xlsx")


@cadre_required
@replica_reads
def plan_export(request):
    """Plan vs allocated vs spent of the union for the year as xlsx; audited."""
    node, year = node_and_year(request)
    content, count = exports.plan_workbook(node=node, year=year, exported_by=str(request.user))
    audit("funds.plan_vs_spent.exported", actor=request.user, obj=node, data={"year": year, "rows": count})
    return _xlsx(content, f"funds-{node.code}-{year}.xlsx")


urlpatterns = [
    path("export.xlsx", plan_export, name="plan_export"),
    path("ledger/export.xlsx", ledger_export, name="ledger_export"),
    path("", home, name="home"),
    path("plans/", plan_list, name="plans"),
    path("plans/<int:pk>/", plan_detail, name="plan"),
    path("budgets/", budgets, name="budgets"),
    path("allocations/", allocations, name="allocations"),
    path("allocations/<int:pk>/reverse/", allocation_reverse, name="allocation_reverse"),
    path("allocation-orders/<int:pk>/approve/", allocation_order_decide, {"decision": "approve"},
         name="allocation_order_approve"),
    path("allocation-orders/<int:pk>/reject/", allocation_order_decide, {"decision": "reject"},
         name="allocation_order_reject"),
    path("payments/", payments, name="payments"),
    path("payments/<int:pk>/", payment_detail, name="payment"),
    path("ledger/", ledger_list, name="ledger"),
]
