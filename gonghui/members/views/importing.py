"""Console pages of the roster import: upload → preview (counts, first errors) → confirm → result.

The import runs inside the confirming request (100,000 rows take seconds); the result page says
how many rows were processed and how long it took. No job queue.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import roles_allowed, roles_of, scope_for
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.forms import apply_errors
from gonghui.core.xlsx import XLSX_CONTENT_TYPE
from gonghui.orgs import selectors as orgs

from ..services import importing as services

PREVIEW_ERRORS = 50


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster file (.xlsx or .csv)"))
    node = forms.ModelChoiceField(label=gettext_lazy("Import into"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = orgs.node_list().filter(status="active")
        within = scope_for(user, "members.import")
        if within is not None:
            nodes = nodes.filter(path__within=within)
        self.fields["node"].queryset = nodes
        self.fields["node"].label_from_instance = lambda n: "\u3000" * max(n.depth - 1, 0) + n.name

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = services.read_limits().max_bytes
        if upload.size > limit:
            raise ValidationError(_("The file is larger than %(mb)d MB; split it into several files.")
                                  % {"mb": limit // services.MB})
        return upload


@cadre_required
def import_upload(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    default = form.fields["node"].queryset.first()  # the top of the user's scope
    if default is None:
        raise NotPermitted("members.import")
    form.initial["node"] = request.GET.get("node") or default.pk
    if request.method == "POST" and form.is_valid():
        upload, node = form.cleaned_data["file"], form.cleaned_data["node"]
        try:
            staged = services.stage_import(data=upload.read(), filename=upload.name, node=node, actor=request.user)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            return redirect("members:import_preview", token=staged.token)
    return render(request, "members/import_upload.html", {"form": form})


def _staged(request, token):
    try:
        staged = services.load_staged_import(token=token, actor=request.user)
    except DomainError:
        raise Http404 from None
    return staged, orgs.access_node(staged.node_id)


@cadre_required
def import_preview(request, token):
    staged, node = _staged(request, token)
    if staged.state == "done":
        return render(request, "members/import_result.html", {"staged": staged, "node": node})
    return render(request, "members/import_preview.html", {
        "staged": staged, "node": node, "errors": staged.errors[:PREVIEW_ERRORS],
        "more_errors": max(len(staged.errors) - PREVIEW_ERRORS, 0),
    })


@cadre_required
@require_POST
def import_confirm(request, token):
    staged, node = _staged(request, token)
    try:
        staged = services.commit_staged_import(token=token, actor=request.user, node=node)
    except DomainError as exc:
        return render(request, "members/import_preview.html", {
            "staged": staged, "node": node, "errors": staged.errors[:PREVIEW_ERRORS],
            "more_errors": max(len(staged.errors) - PREVIEW_ERRORS, 0), "failure": exc.message,
        }, status=409)
    return render(request, "members/import_result.html", {"staged": staged, "node": node})


@cadre_required
def import_errors(request, token):
    """The rows not imported, with row, column, value and reason. Values are personal data: audited."""
    staged, node = _staged(request, token)
    audit("members.import.error_report", actor=request.user, obj=node, data={"rows": len(staged.errors)})
    content = services.build_error_report(errors=staged.errors, exported_by=str(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
def import_template(request):
    """An empty roster in the layout the import reads best: the header row only (no one's data)."""
    if not (request.user.is_superuser or roles_of(request.user) & roles_allowed("members.import")):
        raise NotPermitted("members.import")
    from gonghui.core.xlsx import build_workbook

    from ..services.importing.headers import FIELD_NAMES

    content = build_workbook(title=_("Roster"), headers=list(FIELD_NAMES.values()), rows=[],
                             exported_by=str(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


urlpatterns = [
    path("import/", import_upload, name="import"),
    path("import/template.xlsx", import_template, name="import_template"),
    path("import/<str:token>/", import_preview, name="import_preview"),
    path("import/<str:token>/confirm/", import_confirm, name="import_confirm"),
    path("import/<str:token>/errors.xlsx", import_errors, name="import_errors"),
]
