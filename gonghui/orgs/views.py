"""Console pages of the union tree, the employer ledger and union staff. Thin: parse, call, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.limits import search_term
from gonghui.core.paging import paged
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook

from . import selectors, services
from .forms import (
    DissolveForm,
    EmployerEditForm,
    EmployerFilterForm,
    EmployerForm,
    MergeForm,
    MoveForm,
    NodeEditForm,
    NodeForm,
)
from .models import SIX_HAVES, StaffKind


def _require(request, node, code: str):
    """Refuse the page itself (not only the POST) to those the service would refuse."""
    if not allowed(request.user, code, node=node):
        raise PermissionDenied


def _apply_errors(form, exc):
    if isinstance(exc, DomainError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@cadre_required
def tree(request):
    roots = selectors.scope_roots()
    return render(request, "orgs/tree.html", {"roots": roots})


@cadre_required
def node_children(request, pk):
    node = selectors.access_node(pk)
    return render(request, "orgs/_children.html", {"children": selectors.children_of(node)})


@cadre_required
@replica_reads
def search(request):
    query = search_term(request, request.GET.get("q"))
    return render(request, "orgs/search.html", {"q": query, "results": selectors.search_nodes(query)})


@cadre_required
def node_detail(request, pk):
    node = selectors.access_node(pk)
    can_edit = allowed(request.user, "orgs.node.update", node=node)
    history, query = paged(request, selectors.node_history(node), 50, key="hpage")
    return render(request, "orgs/node.html", {
        "node": node,
        "ancestors": selectors.ancestors_in_scope(node),
        "rollup": selectors.node_rollup(node),
        "children": selectors.child_rollups(node),
        "kinds": selectors.kind_breakdown(node),
        "history": history, "query": query,
        "six_haves": [(label, bool(node.six_haves.get(key))) for key, label in SIX_HAVES],
        "can_edit": can_edit,
    })


@cadre_required
def node_create(request, pk):
    parent = selectors.access_node(pk)
    _require(request, parent, "orgs.node.create")
    form = NodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.create_node(parent=parent, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Union created."))
            return redirect("orgs:node", pk=node.pk)
    return render(request, "orgs/node_form.html", {"form": form, "parent": parent})


@cadre_required
def node_edit(request, pk):
    node = selectors.access_node(pk)
    _require(request, node, "orgs.node.update")
    form = NodeEditForm(request.POST or None, instance=selectors.access_node(pk),
                        initial={"version": selectors.node_version(node)})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_node(node=node, actor=request.user, expected_version=form.version,
                                 **{f: form.cleaned_data[f] for f in NodeForm.Meta.fields})
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:node", pk=node.pk)
    return render(request, "orgs/node_form.html", {"form": form, "node": node})


def _tree_action(request, pk, form_class, template, action):
    node = selectors.access_node(pk)
    _require(request, node, "orgs.node.update")
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = action(node, form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("orgs:node", pk=result.pk)
    return render(request, template, {"form": form, "node": node})


@cadre_required
def node_move(request, pk):
    return _tree_action(request, pk, MoveForm, "orgs/node_move.html", lambda node, data: services.move_node(
        node=node, new_parent=selectors.access_node(data["new_parent"]), actor=request.user))


@cadre_required
def node_merge(request, pk):
    return _tree_action(request, pk, MergeForm, "orgs/node_merge.html", lambda node, data: services.merge_nodes(
        source=node, target=selectors.access_node(data["target"]), actor=request.user))


@cadre_required
def node_dissolve(request, pk):
    return _tree_action(request, pk, DissolveForm, "orgs/node_dissolve.html",
                        lambda node, data: services.dissolve_node(node=node, actor=request.user,
                                                                  reason=data["reason"]))


@cadre_required
def staff(request, pk):
    node = selectors.access_node(pk)
    year = timezone.localdate().year
    return render(request, "orgs/staff.html", {
        "node": node, "year": year,
        "staff": selectors.staff_list(node),
        "targets": selectors.staff_targets(node, year),
        "kinds": dict(StaffKind.choices),
    })


def _ledger_filters(request):
    form = EmployerFilterForm(request.GET or None)
    node = selectors.access_node(request.GET["node"]) if request.GET.get("node") else None
    filters = {"node": node}
    if form.is_valid():
        filters.update(query=form.cleaned_data["q"], unionized=form.cleaned_data["unionized"],
                       sector=form.cleaned_data["sector"])
    return form, node, filters


@cadre_required
def ledger(request):
    form, node, filters = _ledger_filters(request)
    page = Paginator(selectors.employer_list(**filters), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/ledger.html", {"form": form, "node": node, "page": page,
                                                "rollup": selectors.node_rollup(node) if node else
                                                selectors.scope_rollup()})


@cadre_required
@replica_reads
def ledger_export(request):
    form, node, filters = _ledger_filters(request)
    rows = [(e.name, e.credit_code, e.get_sector_display(), e.employee_count, e.node.name,
             e.union.name if e.union else "", e.address, str(e.follow_up_by or ""), e.notes)
            for e in selectors.employer_list(**filters)]
    audit("orgs.ledger.exported", actor=request.user, obj=node, data={"rows": len(rows), "filters": request.GET})
    content = build_workbook(
        title=_("Employer ledger"), exported_by=str(request.user), rows=rows,
        headers=[pgettext("thing", "Name"), _("Credit code"), _("Sector"), _("Employees"), _("Jurisdiction"), _("Union"),
                 _("Address"), _("Followed up by"), _("Survey notes")])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"ledger-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@cadre_required
def employer_detail(request, pk):
    employer = selectors.access_employer(pk)
    return render(request, "orgs/employer.html", {
        "employer": employer, "can_edit": allowed(request.user, "orgs.employer.update", node=employer.node)})


@cadre_required
def employer_create(request):
    node = selectors.access_node(request.GET.get("node") or request.POST.get("node"))
    _require(request, node, "orgs.employer.create")
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.create_employer(node=node, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Employer added to the ledger."))
            return redirect("orgs:employer", pk=employer.pk)
    return render(request, "orgs/employer_form.html", {"form": form, "node": node})


@cadre_required
def employer_edit(request, pk):
    employer = selectors.access_employer(pk)
    _require(request, employer.node, "orgs.employer.update")
    form = EmployerEditForm(request.POST or None, instance=selectors.access_employer(pk),
                            initial=editing.with_version(None, employer))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_employer(employer=employer, actor=request.user, expected_version=form.version,
                                     **form.without_version())
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:employer", pk=employer.pk)
    return render(request, "orgs/employer_form.html", {"form": form, "employer": employer,
                                                       "node": employer.node})
