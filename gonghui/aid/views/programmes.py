"""Console pages: programmes with budget vs spent, the year's figures, budgets, publicity lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import has_role, require_role
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_name
from gonghui.orgs import selectors as orgs

from .. import selectors
from .. import workflow as wf
from ..forms import BudgetForm, ProgrammeForm
from ..models import ProgrammeKind, Status
from ..services import applications as services
from ..services import programmes as programme_services
from .common import year_of


@cadre_required
def programme_list(request):
    """Every cadre sees the programmes and figures of their subtree (viewers included)."""
    year = year_of(request)
    rows = list(selectors.programme_list(year=year))
    figures = selectors.year_figures(year=year)
    labels = dict(ProgrammeKind.choices)
    roots = orgs.scope_roots()
    return render(request, "aid/programmes.html", {
        "rows": rows, "year": year, "years": range(year - 3, year + 2),
        "figures": [(labels.get(kind, kind), f) for kind, f in sorted(figures["by_kind"].items())],
        "total_paid": figures["paid"], "total_people": figures["people"],
        "create_node": next((n for n in roots if has_role(request.user, n, programme_services.MANAGERS)), None),
        "clerk_node": next((n for n in roots if has_role(request.user, n, wf.CLERKS)), None),
    })


@cadre_required
def programme_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require_role(request.user, node, programme_services.MANAGERS, "aid.programme.create")
    form = ProgrammeForm(request.POST or None, initial={"year": year_of(request), "review_levels": 1})
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_services.create_programme(node=node, actor=request.user, **form.service_fields())
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Programme created."))
            return redirect("aid:programme", pk=programme.pk)
    return render(request, "aid/programme_form.html", {"form": form, "node": node})


@cadre_required
def programme_detail(request, pk):
    programme = selectors.access_programme(pk)
    counts = {s: 0 for s in Status.values}
    for status in selectors.application_list(programme=programme).values_list("status", flat=True):
        counts[status] += 1
    return render(request, "aid/programme.html", {
        "p": programme, "budgets": [(b, b.amount - b.committed) for b in selectors.budgets_of(programme)],
        "statuses": [(value, label, counts[value]) for value, label in Status.choices], "budget_form": BudgetForm(),
        "can_budget": has_role(request.user, programme.node, programme_services.BUDGETERS),
        "can_apply": has_role(request.user, programme.node, wf.CLERKS) or bool(request.user.is_superuser),
        "publicities": selectors.publicity_list(programme=programme)[:20],
        "enrolments": selectors.enrolment_list(programme=programme).count() if programme.is_medical else None,
    })


@cadre_required
@require_POST
def budget_set(request, pk):
    programme = selectors.access_programme(pk)
    form = BudgetForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Please correct the errors."))
        node = orgs.access_node_by_code(form.cleaned_data["node"].strip())
        programme_services.set_budget(programme=programme, node=node, amount=form.cleaned_data["amount"],
                                      actor=request.user)
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Budget saved."))
    return redirect("aid:programme", pk=programme.pk)


@cadre_required
@require_POST
def publish(request, pk):
    programme = selectors.access_programme(pk)
    node = orgs.access_node(request.POST.get("node") or programme.node.pk)
    try:
        publicity = services.publish(programme=programme, node=node, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("aid:programme", pk=programme.pk)
    messages.success(request, _("Publicity list published; objections until %(date)s.")
                     % {"date": publicity.objection_until.strftime("%Y-%m-%d")})
    return redirect("aid:publicity", pk=publicity.pk)


@cadre_required
def publicity_detail(request, pk):
    """The list as it is posted: masked names, union, amount — never a full name or an ID number."""
    publicity = selectors.access_publicity(pk)
    rows = [(mask_name(a.name), a.node.name, a.amount_approved) for a in selectors.publicity_rows(publicity)]
    return render(request, "aid/publicity.html", {"pub": publicity, "rows": rows,
                                                  "total": sum((r[2] for r in rows), 0)})


urlpatterns = [
    path("", programme_list, name="programmes"),
    path("programmes/new/", programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programme_detail, name="programme"),
    path("programmes/<int:pk>/budget/", budget_set, name="budget_set"),
    path("programmes/<int:pk>/publish/", publish, name="publish"),
    path("publicity/<int:pk>/", publicity_detail, name="publicity"),
]
