"""API of the seven-step construction projects."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, File, Form, Schema, Status, UploadedFile
from ninja.pagination import paginate

from gonghui.aid.idempotency import idempotent
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.schemas import Count, Id, InputSchema, Pages, Year
from gonghui.orgs import selectors as orgs

from .. import limits, selectors
from ..models import AppraisalScore, Objection, Project, ProjectEvent, ProjectFile, ProjectKind
from ..services import projects
from ..workflow import STEP_OF_STATE
from .common import Amount, category, router


class ProjectOut(Schema):
    id: int
    node_id: int
    node_name: str
    reviewer_node_id: int
    kind: str
    title: str
    year: int
    category_id: int
    address: str
    budget_total: Decimal
    subsidy_requested: Decimal
    subsidy_granted: Decimal | None
    state: str
    step: int
    appraisal_score: Decimal | None
    threshold: Decimal
    publicity_from: datetime.date | None
    publicity_until: datetime.date | None
    position_id: int | None
    outcome: str
    applied_at: datetime.datetime

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code

    @staticmethod
    def resolve_step(obj):
        return STEP_OF_STATE[obj.state]


class ProjectEventOut(Schema):
    action: str
    from_state: str
    to_state: str
    comment: str
    at: datetime.datetime
    actor: str

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor) if obj.actor else ""


class ProjectDetailOut(ProjectOut):
    description: str
    acceptance: dict
    history: list[ProjectEventOut]

    @staticmethod
    def resolve_history(obj):
        return list(selectors.project_history(obj))


class ProjectIn(InputSchema):
    node_id: Id
    reviewer_node_id: Id | None = None
    kind: str
    title: str = Field(max_length=limit_of(Project, "title"))
    year: Year
    category_id: Id
    address: str = Field(max_length=limit_of(Project, "address"))
    description: str = Field(max_length=limits.PROJECT_DESCRIPTION)
    budget_total: Amount
    subsidy_requested: Amount
    area_sqm: Count | None = None
    lat: Decimal | None = None
    lng: Decimal | None = None
    position_id: Id | None = None


class ActionIn(InputSchema):
    """One step of the seven: ``action`` names it; the other fields are what that step records."""

    action: str = Field(pattern="^(review|score|conclude_appraisal|publicize|objection|answer_objection|approve"
                                "|progress|complete|accept|request_subsidy)$")
    approve: bool | None = None
    comment: str = Field("", max_length=limit_of(ProjectEvent, "comment"))
    panelist: str = Field("", max_length=limit_of(AppraisalScore, "panelist"))
    affiliation: str = Field("", max_length=limit_of(AppraisalScore, "affiliation"))
    score: Decimal | str | None = None
    raised_by: str = Field("", max_length=limit_of(Objection, "raised_by"))
    text: str = Field("", max_length=limits.STEP_TEXT)
    on: datetime.date | None = None
    objection_id: Id | None = None
    upheld: bool | None = None
    percent: Count | None = None
    spent: Amount | None = None
    checklist: dict[str, bool] = {}
    amount: Amount | None = None


class FileOut(Schema):
    id: int
    purpose: str
    content_type: str
    original_name: str
    size: int



# --- projects -----------------------------------------------------------------------------------------

@router.get("/funds/projects", response=list[ProjectOut])
@paginate(Pages, page_size=50)
def list_projects(request, node: Id | None = None, state: str = "", year: Year | None = None):
    return selectors.project_list(node=orgs.access_node(node) if node is not None else None, state=state, year=year)


@router.post("/funds/projects", response={201: ProjectDetailOut})
@idempotent("funds.project.apply")
def apply_project(request, payload: ProjectIn):
    node = orgs.access_node(payload.node_id)
    reviewer = orgs.access_node(payload.reviewer_node_id) if payload.reviewer_node_id else None
    kind = ProjectKind.objects.filter(code=payload.kind).first()
    if kind is None:
        raise DomainError("unknown_kind", _("Unknown type of project."), field="kind")
    data = payload.dict(exclude={"node_id", "reviewer_node_id", "kind", "category_id"})
    project = projects.apply_for_project(node=node, actor=request.user, kind=kind, reviewer_node=reviewer,
                             category=category(payload.category_id), **data)
    return Status(201, selectors.access_project(project.pk))


@router.get("/funds/projects/{project_id}", response=ProjectDetailOut)
def get_project(request, project_id: Id):
    return selectors.access_project(project_id)


@router.post("/funds/projects/{project_id}/actions", response=ProjectDetailOut)
@idempotent("funds.project.act")
def act_on_project(request, project_id: Id, payload: ActionIn):
    project = selectors.access_project(project_id)
    _take_step(request.user, project, payload)
    return selectors.access_project(project_id)


def _take_step(actor, project, step: ActionIn) -> None:
    """``action`` names the step; each step calls its own service with its own fields."""
    action = step.action
    if action == "review" and step.approve:
        projects.pass_review(actor=actor, project=project, comment=step.comment)
    elif action == "review":
        projects.reject_project(actor=actor, project=project, comment=step.comment)
    elif action == "score":
        projects.record_score(actor=actor, project=project, panelist=step.panelist,
                              score="" if step.score is None else step.score, affiliation=step.affiliation,
                              comment=step.comment)
    elif action == "conclude_appraisal":
        projects.conclude_appraisal(actor=actor, project=project)
    elif action == "publicize":
        projects.start_publicity(actor=actor, project=project)
    elif action == "objection":
        projects.file_objection(actor=actor, project=project, raised_by=step.raised_by, text=step.text, on=step.on)
    elif action == "answer_objection":
        objection = selectors.project_objection(project, step.objection_id)
        if objection is None:
            raise DomainError("unknown_objection", _("No such objection on this project."), field="objection_id")
        projects.answer_objection(actor=actor, objection=objection, upheld=bool(step.upheld), answer=step.comment)
    elif action == "approve":
        projects.approve_project(actor=actor, project=project)
    elif action == "progress":
        projects.report_progress(actor=actor, project=project, percent=step.percent, text=step.text,
                                 spent=0 if step.spent is None else step.spent, on=step.on)
    elif action == "complete":
        projects.complete_project(actor=actor, project=project)
    elif action == "accept":
        projects.accept_project(actor=actor, project=project, checklist=step.checklist, notes=step.comment)
    else:  # the schema admits no other step
        projects.request_subsidy(actor=actor, project=project, amount=step.amount)


@router.post("/funds/projects/{project_id}/files", response={201: FileOut})
def upload_project_file(request, project_id: Id, file: File[UploadedFile],
                        purpose: Form[str] = ProjectFile.Purpose.APPLICATION):
    project = selectors.access_project(project_id)
    if purpose not in ProjectFile.Purpose.values:
        raise DomainError("purpose", _("Unknown purpose of the file."), field="purpose")
    return Status(201, projects.add_file(project=project, actor=request.user, upload=file, purpose=purpose))


