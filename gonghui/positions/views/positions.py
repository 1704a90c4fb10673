"""Console pages of positions: list with filters, map, detail, create, edit, photos, QR poster,
import and export."""

import datetime
import io
import json

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.limits import search_term
from gonghui.core.paging import paged
from gonghui.core.uploads import file_response
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook
from gonghui.orgs import selectors as orgs

from .. import amenities as vocabulary
from .. import coordinates, hours, selectors
from ..forms import ImportForm, PhotoForm, PositionEditForm, PositionFilterForm, PositionForm
from ..limits import IMPORT_ERRORS_LISTED
from ..services import bookrooms, importing, visits
from ..services import positions as services

MAP_MARKERS_MAX = 3000


def _filters(request):
    form = PositionFilterForm(request.GET or None)
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    filters = {"node": node}
    if form.is_valid():
        data = form.cleaned_data
        filters.update(query=data["q"], kind=data["kind"], level=data["level"], status=data["status"],
                       amenities=data["amenity"])
    return form, node, filters


def _anchor(node):
    if node is not None:
        return node
    roots = orgs.scope_roots()
    return roots[0] if len(roots) == 1 else None


@cadre_required
def position_list(request):
    form, node, filters = _filters(request)
    page = Paginator(selectors.position_list(**filters), 50).get_page(request.GET.get("page"))
    anchor = _anchor(node)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "positions/list.html", {
        "form": form, "node": node, "page": page, "query": query.urlencode(),
        "can_add": anchor is not None and allowed(request.user, "positions.position.update", node=anchor), "anchor": anchor,
        "rows": [(p, vocabulary.labels_of(p.amenities)) for p in page],
    })


@cadre_required
def position_map(request):
    form, node, filters = _filters(request)
    qs = selectors.position_list(**filters).only("id", "name", "kind", "lat", "lng", "address", "status", "node__name")
    markers = []
    for p in qs[:MAP_MARKERS_MAX]:
        lat, lng = coordinates.for_tiles(float(p.lat), float(p.lng))
        markers.append({"id": p.id, "name": p.name, "kind": p.get_kind_display(), "lat": lat, "lng": lng,
                        "address": p.address, "url": reverse("positions:detail", args=[p.pk])})
    query = request.GET.copy()
    return render(request, "positions/map.html", {
        "form": form, "node": node, "markers": markers, "truncated": len(markers) >= MAP_MARKERS_MAX,
        "tile_url": settings.GONGHUI_MAP_TILE_URL,
        "tile_attribution": settings.GONGHUI_MAP_TILE_ATTRIBUTION, "query": query.urlencode(),
    })


@cadre_required
def position_detail(request, pk):
    position = selectors.access_position(pk)
    assessments, assessments_query = paged(request, selectors.assessments_of(position), 10, key="apage")
    moves, moves_query = paged(request, selectors.moves_of(position), 20, key="mpage")
    return render(request, "positions/detail.html", {
        "position": position, "week": hours.week_text(position.hours),
        "state": hours.open_state(week=position.hours, open_24h=position.open_24h,
                                  closed_on_holidays=position.closed_on_holidays,
                                  in_service=position.status == "open"),
        "amenity_labels": vocabulary.labels_of(position.amenities), "photos": list(position.photos.all()),
        "assessments": assessments, "assessments_query": assessments_query,
        "can_edit": allowed(request.user, "positions.position.update", node=position.node),
        "photo_form": PhotoForm(), "visits_month": selectors.visits_this_month(position),
        "catalogue_kinds": bookrooms.CATALOGUE_KINDS, "moves": moves, "moves_query": moves_query,
    })


@cadre_required
def position_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "positions.position.create", node=node)
    form = PositionForm(request.POST or None, initial={"closed_on_holidays": False})
    if request.method == "POST" and form.is_valid():
        try:
            position = services.create_position(node=node, actor=request.user, system=form.cleaned_data["system"],
                                                **form.service_fields())
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Position added."))
            return redirect("positions:detail", pk=position.pk)
    return render(request, "positions/form.html", {"form": form, "node": node})


@cadre_required
def position_edit(request, pk):
    position = selectors.access_position(pk)
    require(request.user, "positions.position.update", node=position.node)
    form = PositionEditForm(request.POST or None,
                            initial=editing.with_version(PositionForm.initial_of(position), position))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_position(position=position, actor=request.user, system=form.cleaned_data["system"],
                                     expected_version=form.version, **form.service_fields())
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("positions:detail", pk=position.pk)
    return render(request, "positions/form.html", {"form": form, "node": position.node, "position": position})


@cadre_required
def position_move(request, pk):
    """Hand the position to another union of the cadre's scope: search by name, choose, give the reason."""
    position = selectors.access_position(pk)
    require(request.user, "positions.position.move", node=position.node)
    query = search_term(request, request.GET.get("q") or request.POST.get("q"))
    errors = {}
    if request.method == "POST":
        try:
            target = orgs.access_node(request.POST.get("to_node"))
            services.move_position(position=position, to_node=target, actor=request.user,
                                   reason=request.POST.get("reason", ""))
        except Http404:
            errors["to_node"] = [_("Choose the new host union from the list.")]
        except ValidationError as exc:
            errors = exc.message_dict
        except DomainError as exc:
            errors["to_node"] = [exc.message]
        else:
            messages.success(request, _("%(position)s is now hosted by %(union)s.")
                             % {"position": position.name, "union": target.name})
            return redirect("positions:detail", pk=position.pk)
    targets, more = selectors.move_targets(position=position, query=query, actor=request.user) if query else ([], False)
    return render(request, "positions/move.html", {
        "position": position, "query": query, "errors": errors, "reason": request.POST.get("reason", ""),
        "chosen": request.POST.get("to_node", ""), "targets": targets,
        "more_targets": selectors.MOVE_TARGETS if more else 0,
        "moves": selectors.moves_of(position),
    })


@cadre_required
@require_POST
def photo_add(request, pk):
    position = selectors.access_position(pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(position=position, actor=request.user, upload=form.cleaned_data["photo"],
                               caption=form.cleaned_data["caption"])
        except (DomainError, ValidationError) as exc:
            messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, _("Choose a photo to upload."))
    return redirect("positions:detail", pk=position.pk)


@cadre_required
@require_POST
def photo_remove(request, pk):
    photo = selectors.access_photo(pk)
    services.remove_photo(photo=photo, actor=request.user)
    messages.success(request, _("Photo removed."))
    return redirect("positions:detail", pk=photo.position_id)


@cadre_required
def photo_file(request, pk):
    photo = selectors.access_photo(pk)
    if request.GET.get("size") == "thumb":
        return file_response(photo.thumb, content_type="image/jpeg")
    return file_response(photo.file, content_type=photo.content_type)


def qr_svg(url: str, scale: int = 8) -> str:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=scale, border=2, xmldecl=False)
    return out.getvalue().decode()


@cadre_required
def position_poster(request, pk):
    """A printable A4 poster with the station's visit code (scan to check in, find stations, join)."""
    position = selectors.access_position(pk)
    url = request.build_absolute_uri(reverse("worker:station_visit", args=[visits.make_visit_token(position=position)]))
    return render(request, "positions/poster.html", {
        "position": position, "qr": mark_safe(qr_svg(url)), "url": url,  # noqa: S308 - segno's own SVG
        "amenity_labels": vocabulary.labels_of(position.amenities), "week": hours.week_text(position.hours),
        "can_edit": allowed(request.user, "positions.position.update", node=position.node),
    })


@cadre_required
@require_POST
def position_qr_renew(request, pk):
    position = selectors.access_position(pk)
    services.renew_qr(position=position, actor=request.user)
    messages.success(request, _("A new code was issued; the old poster no longer counts visits. Print the new one."))
    return redirect("positions:poster", pk=position.pk)


@cadre_required
@replica_reads
def position_export(request):
    form, node, filters = _filters(request)
    rows = []
    for p in selectors.position_list(**filters).iterator(chunk_size=2000):
        rows.append((p.node.name, p.name, p.get_kind_display(), p.get_level_display() if p.level else "",
                     p.get_status_display(), p.address, float(p.lat), float(p.lng),
                     _("open 24 hours") if p.open_24h else "; ".join(
                         f"{day} {text}" for day, text in hours.week_text(p.hours)),
                     _("yes") if p.closed_on_holidays else _("no"), "、".join(vocabulary.labels_of(p.amenities)),
                     p.contact_name, p.contact_phone, p.area_sqm or ""))
    audit("positions.position.exported", actor=request.user, obj=_anchor(node),
          data={"rows": len(rows), "filters": request.GET.dict()})
    content = build_workbook(
        title=_("Service positions"), exported_by=str(request.user), rows=rows,
        headers=[_("Host union"), pgettext("thing", "Name"), _("Type"), _("Level"), _("Status"), _("Address"),
                 _("Latitude (WGS-84)"), _("Longitude (WGS-84)"), _("Opening hours"), _("Closed on public holidays"),
                 _("Amenities"), _("Contact person"), _("Contact phone"), _("Floor area (m²)")])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="positions-{datetime.date.today():%Y%m%d}.xlsx"'
    return response


@cadre_required
def position_import(request):
    """Upload a sheet: every row checked; all rows written, or none and the errors listed."""
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node")) if (
        request.GET.get("node") or request.POST.get("node")) else None
    if node is not None:
        require(request.user, "positions.position.import", node=node)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        system = request.POST.get("system") or "wgs84"
        try:
            outcome = importing.import_positions(data=upload.read(), filename=upload.name, actor=request.user,
                                                 node=node, system=system if system in {"wgs84", "gcj02", "bd09"}
                                                 else "wgs84")
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            if not outcome.errors:
                messages.success(request, _("%(n)s positions imported.") % {"n": len(outcome.created)})
                return redirect(reverse("positions:list") + (f"?node={node.pk}" if node else ""))
            # every error, for the report (a file holds at most MAX_ROWS rows, each with a few errors)
            request.session["positions_import_errors"] = json.dumps([e.__dict__ for e in outcome.errors])
    return render(request, "positions/import.html", {"form": form, "node": node, "outcome": outcome,
                                                     "listed": IMPORT_ERRORS_LISTED})


@cadre_required
def import_template(request):
    content = importing.build_template_workbook(exported_by=str(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="positions-template.xlsx"'
    return response


@cadre_required
def import_errors(request):
    errors = [importing.RowError(**e) for e in json.loads(request.session.get("positions_import_errors", "[]"))]
    content = importing.build_error_report(errors=errors, exported_by=str(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="positions-import-errors.xlsx"'
    return response


urlpatterns = [
    path("", position_list, name="list"),
    path("map/", position_map, name="map"),
    path("export/", position_export, name="export"),
    path("import/", position_import, name="import"),
    path("import/template/", import_template, name="import_template"),
    path("import/errors/", import_errors, name="import_errors"),
    path("new/", position_create, name="create"),
    path("<int:pk>/", position_detail, name="detail"),
    path("<int:pk>/edit/", position_edit, name="edit"),
    path("<int:pk>/move/", position_move, name="move"),
    path("<int:pk>/photos/", photo_add, name="photo_add"),
    path("<int:pk>/poster/", position_poster, name="poster"),
    path("<int:pk>/poster/renew/", position_qr_renew, name="qr_renew"),
    path("photos/<int:pk>/", photo_file, name="photo"),
    path("photos/<int:pk>/remove/", photo_remove, name="photo_remove"),
]
