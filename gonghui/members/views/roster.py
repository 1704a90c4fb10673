"""Console pages of the roster: list, detail, create, edit, leave, reinstate, reveal, export."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require, roles_allowed, roles_of, scope_for
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_phone, mask_resident_id
from gonghui.core.paging import paged
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import EndForm, MemberFilterForm, MemberForm, ReasonForm
from ..services import roster as services


def _filters(request):
    form = MemberFilterForm(request.GET or None)
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    filters = {"node": node, "within": scope_for(request.user, "members.member.list")}
    if form.is_valid():
        data = form.cleaned_data
        filters.update(query=data["q"], status=data["status"], employment_form=data["employment_form"],
                       joined_from=data["joined_from"], joined_to=data["joined_to"], gender=data["gender"],
                       migrant={"1": True, "0": False}.get(data["migrant"]))
    return form, node, filters


@cadre_required
@replica_reads
def member_list(request):
    form, node, filters = _filters(request)
    _require_reader(request, node)
    page = Paginator(selectors.member_list(**filters), 50).get_page(request.GET.get("page"))
    return render(request, "members/list.html", {
        "form": form, "node": node, "page": page, "query": request.GET.urlencode(),
        "can_add": node is not None and allowed(request.user, "members.member.create", node=node),
        "rows": [(m, mask_resident_id(m.id_number), mask_phone(m.phone)) for m in page],
    })


def _require_reader(request, node) -> None:
    """The roster is for admins, clerks and reviewers; viewers see figures only."""
    if node is not None:
        require(request.user, "members.member.list", node=node)
    elif not (request.user.is_superuser or roles_of(request.user) & roles_allowed("members.member.list")):
        raise NotPermitted("members.member.list")


@cadre_required
def member_detail(request, pk):
    member = selectors.access_member(pk)
    require(request.user, "members.member.view", node=member.node)
    history, query = paged(request, selectors.member_history(member), 50, key="hpage")
    transfers, transfers_query = paged(request, member.transfers.select_related("from_node", "to_node")
                              .order_by("-requested_at", "-id"), 10, key="tpage")
    return render(request, "members/detail.html", {
        "member": member, "masked_id": mask_resident_id(member.id_number), "masked_phone": mask_phone(member.phone),
        "history": history, "query": query,
        "can_edit": allowed(request.user, "members.member.update", node=member.node),
        "can_reveal": selectors.may_see_full(request.user, member),
        "can_revoke_card": member.status == "active" and allowed(request.user, "members.card.revoke", node=member.node),
        "transfers": transfers, "transfers_query": transfers_query,
    })


@cadre_required
def member_services(request, pk):
    """The member's page's panel of services used (courses, claims, aid, wishes, loans, volunteering):
    the heaviest part of the page, read from other modules' tables, so the page paints without it and
    console.js fetches it here (``X-Requested-With: fetch``: the panel alone). Without JavaScript the
    page links here and the panel shows on a page of its own. Same scope and permission as the page."""
    member = selectors.access_member(pk)
    require(request.user, "members.member.view", node=member.node)
    fragment = request.headers.get("X-Requested-With") == "fetch"
    response = render(request, "members/services_panel.html" if fragment else "members/services.html",
                      {"member": member})
    patch_vary_headers(response, ["X-Requested-With"])
    return response


@cadre_required
@require_POST
def member_reveal(request, pk):
    """Show the full ID number and phone once, on a page of its own; the reveal is audited."""
    member = selectors.access_member(pk)
    try:
        full = services.reveal_member(member=member, actor=request.user, purpose=request.POST.get("purpose", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("members:detail", member.pk)
    response = render(request, "members/reveal.html", {"member": member, "full": full})
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
def member_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "members.member.create", node=node)
    form = MemberForm(request.POST or None, initial={"joined_on": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(node=node, actor=request.user, **form.service_fields())
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Member added; card number %(card)s.") % {"card": member.card_number})
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "node": node})


@cadre_required
def member_edit(request, pk):
    member = selectors.access_member(pk)
    require(request.user, "members.member.update", node=member.node)
    initial = {f: getattr(member, f) for f in services.EDITABLE if f != "employer"}
    initial["version"] = selectors.member_version(member)
    form = MemberForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(member=member, actor=request.user, expected_version=form.cleaned_data["version"],
                                   **form.service_fields())
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "node": member.node, "member": member})


@cadre_required
def member_end(request, pk):
    member = selectors.access_member(pk)
    require(request.user, "members.member.leave", node=member.node)
    form = EndForm(request.POST or None, initial={"on": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.end_membership(member=member, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Membership ended."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/confirm.html", {"form": form, "member": member, "title": _("End membership")})


@cadre_required
def member_reinstate(request, pk):
    member = selectors.access_member(pk)
    require(request.user, "members.member.reinstate", node=member.node)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reinstate_member(member=member, actor=request.user, reason=form.cleaned_data["reason"])
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Membership reinstated."))
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/confirm.html", {"form": form, "member": member, "title": _("Reinstate")})


@cadre_required
@replica_reads
def member_export(request):
    """The filtered roster as xlsx. Masked unless asked for in full, and then full only in the rows
    whose union the user may see in full (decided per row: a reviewer's rows stay masked)."""
    form, node, filters = _filters(request)
    _require_reader(request, node)
    wants_full = request.GET.get("full") == "1"
    full_at = selectors.full_view_scope(request.user)
    rows, full_rows = [], 0
    for m in selectors.member_list(**filters).iterator(chunk_size=2000):
        full = wants_full and full_at(m.node.path)
        full_rows += full
        rows.append((m.name, m.get_gender_display(), m.ethnicity,
                     m.id_number if full else mask_resident_id(m.id_number),
                     m.phone if full else mask_phone(m.phone), m.get_employment_form_display(),
                     m.get_new_form_type_display() if m.new_form_type else "", m.employer_name,
                     m.node.name, m.joined_on, m.get_member_type_display(), m.card_number, m.get_status_display()))
    audit("members.roster.exported", actor=request.user, obj=node,
          data={"rows": len(rows), "full": bool(full_rows), "full_rows": full_rows,
                "filters": request.GET.dict()})
    content = build_workbook(
        title=_("Member roster"), exported_by=str(request.user), rows=rows,
        headers=[pgettext("person", "Name"), _("Gender"), _("Ethnicity"), _("Resident ID number"), _("Mobile number"),
                 _("Employment form"), _("New employment form type"), _("Employer"), _("Union"), _("Joined on"),
                 _("Member type"), _("Member card number"), _("Status")])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="members-{datetime.date.today():%Y%m%d}.xlsx"'
    return response


urlpatterns = [
    path("", member_list, name="list"),
    path("export/", member_export, name="export"),
    path("new/", member_create, name="create"),
    path("<int:pk>/", member_detail, name="detail"),
    path("<int:pk>/services/", member_services, name="services"),
    path("<int:pk>/edit/", member_edit, name="edit"),
    path("<int:pk>/end/", member_end, name="end"),
    path("<int:pk>/reinstate/", member_reinstate, name="reinstate"),
    path("<int:pk>/reveal/", member_reveal, name="reveal"),
]
