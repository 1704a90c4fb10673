"""Console pages of applications: the union's admin files and submits, the office reviews."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_resident_id
from gonghui.orgs import selectors as orgs

from .. import selectors, workflow
from ..forms import NewApplicationForm, UploadForm, application_form_class
from ..materials import ITEMS, item_label
from ..models import FORM_FIELDS, Kind
from ..services import applications as services
from ..services.forms import FORM_KINDS
from ..workflow import ApplicationStatus
from . import files


@cadre_required
def application_list(request):
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    page = Paginator(selectors.application_list(status=status, kind=kind), 50).get_page(request.GET.get("page"))
    unions = [n for n in selectors.unregistered_unions()
              if allowed(request.user, "registration.application.create", node=n)]
    return render(request, "registration/applications.html", {
        "page": page, "status": status, "kind": kind, "statuses": ApplicationStatus.choices, "kinds": Kind.choices,
        "unions": unions})


@cadre_required
def application_create(request):
    node = orgs.access_node(request.GET.get("node"))
    form = NewApplicationForm(request.POST or None, initial={"kind": request.GET.get("kind", Kind.ESTABLISH)})
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(node=node, kind=form.cleaned_data["kind"], actor=request.user)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft created: complete the form and upload the materials."))
            return redirect("registration:application", pk=application.pk)
    return render(request, "registration/application_new.html", {"form": form, "node": node})


def _checklist_rows(application, materials):
    current = {m.item: m for m in materials if m.replaced_at is None}
    rows = []
    for item in selectors.checklist(application):
        rows.append({"item": item, "label": item_label(item), "material": current.get(item),
                     "reason": application.return_reasons.get(item, ""),
                     "older": [m for m in materials if m.item == item and m.replaced_at is not None]})
    return rows


def _form_rows(application):
    rows = []
    for name in FORM_FIELDS:
        field = application._meta.get_field(name)
        value = getattr(application, name)
        if name == "legal_rep_id_number":
            value = mask_resident_id(value)
        old = None
        if application.kind == Kind.CHANGE and application.registration_id is not None:
            before = getattr(application.registration, name)
            if before != getattr(application, name):
                old = mask_resident_id(before) if name == "legal_rep_id_number" else before
        rows.append((field.verbose_name, value, old))
    return rows


@cadre_required
def application_detail(request, pk):
    application = selectors.access_application(pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                services.submit_application(application=application, actor=request.user)
                messages.success(request, _("Submitted to %(office)s.") % {"office": application.office})
            elif action == "approve":
                done = services.approve_application(application=application, actor=request.user,
                                                    credit_code=request.POST.get("credit_code", ""),
                                                    base_url=request.build_absolute_uri("/"))
                messages.success(request, _("Approved; the register is updated."))
                if done.kind != Kind.CANCEL and not done.registration.certificates.filter(
                        version=done.registration.version).exists():
                    messages.warning(request, _("No certificate was issued: the signing key or the font is not "
                                                "available. Issue it from the register once configured."))
            elif action == "return":
                reasons = {k[7:]: v for k, v in request.POST.items() if k.startswith("reason_")}
                services.return_application(application=application, actor=request.user, reasons=reasons)
                messages.success(request, _("Returned to the union with your reasons."))
            elif action == "withdraw":
                services.withdraw_application(application=application, actor=request.user)
                messages.success(request, _("Withdrawn."))
            else:
                raise DomainError("bad_action", _("Choose an action."))
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("registration:application", pk=application.pk)
    detail = selectors.application_detail(application)
    for event in detail["events"]:
        event.item_label = item_label(event.data["item"]) if event.data.get("item") else ""
        event.reason_rows = [(_label(k), v) for k, v in (event.data.get("reasons") or {}).items()]
    return render(request, "registration/application.html", {
        "a": application, "events": detail["events"], "checklist": _checklist_rows(application, detail["materials"]),
        "form_rows": _form_rows(application) if application.kind in FORM_KINDS else [],
        "form_reason": application.return_reasons.get("form", ""),
        "may": {name: workflow.may(request.user, application, name) for name in workflow.TRANSITIONS},
        "may_edit": workflow.may_edit(request.user, application),
        "is_own": workflow.is_own(request.user, application),
        "missing": selectors.missing_items(application) if application.is_open else [],
        "upload_form": UploadForm(), "items": ITEMS,
    })


def _label(item: str) -> str:
    return _("Registration form") if item == "form" else item_label(item)


@cadre_required
def application_edit(request, pk):
    application = selectors.access_application(pk)
    if not workflow.may_edit(request.user, application):
        messages.error(request, _("Only a draft or a returned application can be edited."))
        return redirect("registration:application", pk=application.pk)
    form_class = application_form_class(application.kind)
    initial = {name: getattr(application, name) for name in form_class.base_fields}
    initial.pop("legal_rep_id_number", None)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("legal_rep_id_number"):
            data.pop("legal_rep_id_number", None)
        for key in ("term_years", "worker_count", "member_count", "full_time_cadres"):
            if key in data and data[key] is None:
                data[key] = None if key == "term_years" else 0
        try:
            services.update_application(application=application, actor=request.user,
                                        expected_version=editing.version_from_post(request), **data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("registration:application", pk=application.pk)
    # The version the form was rendered with goes back with it (a stale form is refused, core.editing).
    version = request.POST.get("version", "") if request.method == "POST" else selectors.application_version(application)
    return render(request, "registration/application_form.html", {
        "a": application, "form": form, "id_on_file": mask_resident_id(application.legal_rep_id_number),
        "version": version})


@require_POST
@cadre_required
def material_upload(request, pk):
    application = selectors.access_application(pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.upload_material(application=application, item=form.cleaned_data["item"],
                                     upload=form.cleaned_data["file"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Uploaded: %(item)s.") % {"item": item_label(form.cleaned_data["item"])})
    return redirect("registration:application", pk=application.pk)


@cadre_required
def material_file(request, pk):
    """A document of the checklist (it may show a chair's identity card): scope-checked, audited."""
    material = selectors.access_material(pk)
    application = material.application
    # A role at the office covers the applicant too (the office is above it); viewers get nothing.
    require(request.user, "registration.material.view", node=application.node)
    extension = material.stored_name.rsplit(".", 1)[-1]
    what = _("the document “%(item)s” of application %(pk)d") % {"item": item_label(material.item),
                                                                 "pk": application.pk}
    return files.serve(request, material.stored_name, what=what, content_type=material.content_type,
                       download_name=f"{material.item}-{material.pk}.{extension}",
                       audit_served=lambda: audit("registration.material.viewed", actor=request.user,
                                                  obj=application, data={"material": material.pk,
                                                                         "item": material.item}))


urlpatterns = [
    path("applications/", application_list, name="applications"),
    path("applications/new/", application_create, name="application_create"),
    path("applications/<int:pk>/", application_detail, name="application"),
    path("applications/<int:pk>/edit/", application_edit, name="application_edit"),
    path("applications/<int:pk>/upload/", material_upload, name="material_upload"),
    path("materials/<int:pk>/", material_file, name="material"),
]
