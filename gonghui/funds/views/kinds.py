"""Console page of the project types: county (and higher) admins add and edit them."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.core import editing
from gonghui.core.errors import DomainError
from gonghui.positions.models import PositionKind

from .. import selectors
from ..models import ProjectKind
from ..services import kinds


def _save(request, kind=None):
    post = request.POST
    return kinds.save_kind(actor=request.user, kind=kind, name=post.get("name", ""),
                           position_kind=post.get("position_kind", ""), upgrade=post.get("upgrade") == "1",
                           standard=post.get("standard", ""), max_subsidy=post.get("max_subsidy", ""),
                           expected_version=editing.version_from_post(request) if kind is not None else None)


@cadre_required
def kind_list(request):
    if request.method == "POST":
        try:
            kind = _save(request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Project type “%(name)s” added.") % {"name": kind.name})
            return redirect("funds:project_kinds")
    return render(request, "funds/kinds.html", {
        "kinds": ProjectKind.objects.annotate(projects_count=Count("projects")).order_by("id"),
        "can_edit": selectors.can_edit_kinds(request.user), "position_kinds": PositionKind.choices, "post": request.POST})


@cadre_required
def kind_edit(request, pk):
    kind = ProjectKind.objects.filter(pk=pk).first()
    if kind is None:
        raise Http404
    can_edit = selectors.can_edit_kinds(request.user)
    if request.method == "POST":
        try:
            _save(request, kind)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Project type saved."))
            return redirect("funds:project_kinds")
    # The version the form was rendered with goes back with it (a stale form is refused, core.editing).
    version = request.POST.get("version", "") if request.method == "POST" else editing.version_of(kind)
    return render(request, "funds/kind.html", {"kind": kind, "can_edit": can_edit, "position_kinds": PositionKind.choices,
                                               "standard": "\n".join(kind.standard), "version": version})


urlpatterns = [
    path("project-types/", kind_list, name="project_kinds"),
    path("project-types/<int:pk>/", kind_edit, name="project_kind"),
]
