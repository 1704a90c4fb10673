"""Console pages of the seven-step projects: list, application, the project page with its history
and the action of the step it is at, and its files."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.uploads import file_response
from gonghui.orgs import selectors as orgs

from .. import selectors
from ..forms import ProjectForm
from ..models import ObjectionStatus, ProjectKind, ProjectState
from ..services import projects
from ..workflow import STEP_OF_STATE, STEPS
from .money import node_and_year


@cadre_required
def project_list(request):
    node, _year = node_and_year(request)
    state = request.GET.get("state", "")
    if state not in ProjectState.values:
        state = ""
    page = Paginator(selectors.project_list(node=node, state=state), 50).get_page(request.GET.get("page"))
    return render(request, "funds/projects.html", {"node": node, "page": page, "state": state,
                                                   "states": ProjectState.choices, "step_of": STEP_OF_STATE})


@cadre_required
def project_create(request):
    node, year = node_and_year(request)
    ancestors = orgs.ancestors_in_scope(node)
    from gonghui.orgs.models import Node

    above = list(Node.objects.filter(path__in=[node.path[:i] for i in range(Node.steplen, len(node.path),
                                                                             Node.steplen)]).order_by("-depth"))
    form = ProjectForm(request.POST or None, request.FILES or None, kinds=ProjectKind.objects.all(),
                       categories=selectors.categories_for(node), reviewers=above or ancestors,
                       initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document")
        try:
            reviewer = next((n for n in above if n.pk == data.pop("reviewer_node")), None)
            project = projects.apply_for_project(node=node, actor=request.user, reviewer_node=reviewer,
                                     kind=ProjectKind.objects.get(pk=data.pop("kind")),
                                     category=selectors.categories_by_id(data.pop("category")), **data)
            if document:
                projects.add_file(project=project, actor=request.user, upload=document)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Application submitted to %(node)s.") % {"node": project.reviewer_node.name})
            return redirect("funds:project", pk=project.pk)
    return render(request, "funds/project_form.html", {"node": node, "form": form})


@cadre_required
def project_detail(request, pk):
    project = selectors.access_project(pk)
    if request.method == "POST":
        try:
            _take_step(request, project)
        except (DomainError, ValidationError) as exc:
            messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
        else:
            messages.success(request, _("Recorded."))
            return redirect("funds:project", pk=project.pk)
        project = selectors.access_project(pk)
    user = request.user
    return render(request, "funds/project.html", {
        "p": project, "step": STEP_OF_STATE[project.state], "steps": STEPS,
        "history": selectors.project_history(project), "files": selectors.project_files(project),
        "scores": project.scores.all(), "objections": project.objections.all(), "reports": project.reports.all(),
        "payments": project.payments.all(), "standard": list(enumerate(project.kind.standard)),
        "acceptance": (project.acceptance or {}).get("items", {}),
        "is_reviewer": allowed(user, "funds.project.score", node=project.reviewer_node),
        "is_applicant": allowed(user, "funds.project.progress", node=project.node),
        "open_objections": [o for o in project.objections.all() if o.status == ObjectionStatus.OPEN],
        "panel_min": projects.MIN_PANEL,
    })


def _date(value: str):
    """A form's optional date field (ISO); empty means today."""
    try:
        return datetime.date.fromisoformat(value) if (value or "").strip() else None
    except ValueError:
        raise DomainError("date_invalid", _("Enter a valid date."), field="on") from None


def _take_step(request, project) -> None:
    """The project page shows the form of the step the project is at; its ``action`` names the step and
    each step calls its own service with its own fields."""
    post, actor, action = request.POST, request.user, request.POST.get("action", "")
    if action == "review" and post.get("approve") == "1":
        projects.pass_review(actor=actor, project=project, comment=post.get("comment", ""))
    elif action == "review":
        projects.reject_project(actor=actor, project=project, comment=post.get("comment", ""))
    elif action == "score":
        projects.record_score(actor=actor, project=project, panelist=post.get("panelist", ""),
                              score=post.get("score", ""), affiliation=post.get("affiliation", ""),
                              comment=post.get("comment", ""))
    elif action == "conclude_appraisal":
        projects.conclude_appraisal(actor=actor, project=project)
    elif action == "publicize":
        projects.start_publicity(actor=actor, project=project)
    elif action == "objection":
        projects.file_objection(actor=actor, project=project, raised_by=post.get("raised_by", ""),
                                text=post.get("text", ""), on=_date(post.get("on")))
    elif action == "answer_objection":
        projects.answer_objection(actor=actor, objection=_objection(project, post.get("objection_id")),
                                  upheld=post.get("upheld") == "1", answer=post.get("comment", ""))
    elif action == "approve":
        projects.approve_project(actor=actor, project=project)
    elif action == "progress":
        projects.report_progress(actor=actor, project=project, percent=post.get("percent"),
                                 text=post.get("text", ""), spent=post.get("spent", 0), on=_date(post.get("on")),
                                 photos=request.FILES.getlist("photos"))
    elif action == "complete":
        projects.complete_project(actor=actor, project=project)
    elif action == "accept":
        checklist = {item: f"item_{i}" in post for i, item in enumerate(project.kind.standard)}
        projects.accept_project(actor=actor, project=project, checklist=checklist, notes=post.get("comment", ""))
    elif action == "request_subsidy":
        projects.request_subsidy(actor=actor, project=project, amount=post.get("amount"))
    else:
        raise DomainError("unknown_action", _("Unknown step."), field="action")


def _objection(project, pk):
    objection = selectors.project_objection(project, pk)
    if objection is None:
        raise DomainError("unknown_objection", _("No such objection on this project."), field="objection_id")
    return objection


@cadre_required
def project_file(request, pk):
    item = selectors.access_project_file(pk)
    audit("funds.project.file_viewed", actor=request.user, obj=item.project, data={"file": item.pk})
    return file_response(item.stored_name, content_type=item.content_type, download_name=item.original_name)


urlpatterns = [
    path("projects/", project_list, name="projects"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/files/<int:pk>/", project_file, name="project_file"),
]
