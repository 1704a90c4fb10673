"""Console pages: programmes with budget vs spent, the year's figures, budgets, publicity lists."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.paging import paged
from gonghui.core.uploads import file_response
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import BudgetForm, ProgrammeForm
from ..models import ProgrammeKind, Status
from ..services import applications as services
from ..services import objections as objection_services
from ..services import programmes as programme_services
from .common import within, year_of

DRAWS_SHOWN = 5  # the cadre's unions whose budget source a programme's page names


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
        "create_node": next((n for n in roots if allowed(request.user, "aid.programme.create", node=n)), None),
        "clerk_node": next((n for n in roots if allowed(request.user, "aid.application.create", node=n)), None),
    })


@cadre_required
def programme_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "aid.programme.create", node=node)
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
    """A programme of the cadre's unions, or of a union above them (a township cadre sees the
    county's programme): applications, budgets and publicity lists of the cadre's share only."""
    programme = selectors.access_programme(pk)
    counts = {s: 0 for s in Status.values}
    for status in selectors.application_list(programme=programme).values_list("status", flat=True):
        counts[status] += 1
    share = selectors.covers_scope(programme)
    own = [n for n in orgs.scope_roots() if n.path.startswith(programme.node.path)] if share else [programme.node]
    clerk_node = next((n for n in own if allowed(request.user, "aid.application.create", node=n)), None)
    # Which budget each of the cadre's unions draws on, for the first DRAWS_SHOWN of them (a query
    # each); the page says when there are more, and the budgets table lists every budget.
    draws = [(n, b, b.free if b else None)
             for n in own[:DRAWS_SHOWN] for b in [selectors.budget_for(programme, n)]] if share else []
    publicities, publicities_query = paged(request, selectors.publicity_list(programme=programme), 20, key="ppage")
    return render(request, "aid/programme.html", {
        "p": programme, "budgets": [(b, b.free) for b in selectors.budgets_of(programme)],
        "statuses": [(value, label, counts[value]) for value, label in Status.choices], "budget_form": BudgetForm(),
        "can_budget": allowed(request.user, "aid.budget.set", node=programme.node) or (
            share and any(allowed(request.user, "aid.budget.set", node=n) for n in own)),
        "share": share, "draws": draws, "draws_more": max(len(own) - DRAWS_SHOWN, 0) if share else 0,
        "clerk_node": clerk_node if programme.is_open else None,
        "can_close": programme.is_open and allowed(request.user, "aid.programme.close", node=programme.node),
        "publish_node": next((n for n in own if allowed(request.user, "aid.publicity.publish", node=n)), None),
        "publicities": publicities, "publicities_query": publicities_query,
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
        publicity = services.publish_publicity(programme=programme, node=node, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("aid:programme", pk=programme.pk)
    messages.success(request, _("Publicity list published; objections until %(date)s.")
                     % {"date": publicity.objection_until.strftime("%Y-%m-%d")})
    return redirect("aid:publicity", pk=publicity.pk)


@cadre_required
@require_POST
def programme_close(request, pk):
    """The organizing union's administrator closes the programme: no new applications; those filed
    are still reviewed and paid."""
    programme = selectors.access_programme(pk)
    programme_services.close_programme(programme=programme, actor=request.user)
    messages.success(request, _("Programme closed: no new applications; those filed go on."))
    return redirect("aid:programme", pk=programme.pk)


@cadre_required
def publicity_detail(request, pk):
    """The list as it is posted: masked names, union, amount — never a full name or an ID number;
    its public link for the notice board; the objections to entries of the officer's subtree."""
    publicity = selectors.access_publicity(pk)
    rows = [(mask_name(a.name), a.node.name, a.amount_approved) for a in selectors.publicity_rows(publicity)]
    objections = list(selectors.objection_list(publicity=publicity, within=within(request, "aid.objection.view")))
    return render(request, "aid/publicity.html", {
        "pub": publicity, "rows": rows, "total": sum((r[2] for r in rows), 0),
        "link": request.build_absolute_uri(reverse("worker:aid_publicity", args=[selectors.publicity_token(publicity)])),
        "objections": [(o, mask_name(o.application.name), mask_phone(o.worker.phone)) for o in objections],
        "open": timezone.localdate() <= publicity.objection_until,
    })


@cadre_required
@require_POST
def objection_decide(request, pk):
    """An aid officer of the entry's subtree upholds (revoking the approval) or dismisses, with a reason."""
    objection = selectors.access_objection(pk)
    try:
        objection_services.decide_objection(objection=objection, actor=request.user,
                                            uphold=request.POST.get("decision") == "uphold",
                                            note=request.POST.get("note", ""))
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(
            m for msgs in getattr(exc, "message_dict", {"": exc.messages}).values() for m in msgs))
    else:
        messages.success(request, _("Objection decided."))
    return redirect("aid:publicity", pk=objection.publicity_id)


@cadre_required
def objection_evidence(request, pk):
    """The objector's evidence: aid officers of the entry's subtree only; each opening audited."""
    objection = selectors.access_objection(pk)
    require(request.user, "aid.objection.view", node=objection.node)
    if not objection.evidence:
        raise Http404
    audit("aid.objection.evidence_viewed", actor=request.user, obj=objection.application,
          data={"objection": objection.pk})
    return file_response(objection.evidence, content_type=objection.evidence_type)


urlpatterns = [
    path("", programme_list, name="programmes"),
    path("programmes/new/", programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programme_detail, name="programme"),
    path("programmes/<int:pk>/budget/", budget_set, name="budget_set"),
    path("programmes/<int:pk>/publish/", publish, name="publish"),
    path("programmes/<int:pk>/close/", programme_close, name="programme_close"),
    path("publicity/<int:pk>/", publicity_detail, name="publicity"),
    path("objections/<int:pk>/decide/", objection_decide, name="objection_decide"),
    path("objections/<int:pk>/evidence/", objection_evidence, name="objection_evidence"),
]
