"""API of the "four haves" (四有) assessment of worker's homes and stations (mounted with the
positions router under /api/v1/), scoped like the console: list (per position or per subtree),
read, record with its four items, add evidence (a photo or PDF per item). The result follows from the
items; a demonstration level only for a pass, which then becomes the position's level."""

import datetime

from ninja import Field, File, Form, Query, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from gonghui.core.limits import limit_of
from gonghui.core.schemas import InputSchema
from gonghui.orgs import selectors as orgs

from . import selectors
from .models import FOUR_HAVES, Assessment, AssessmentResult, PositionLevel
from .routers import router
from .services import assessments as services


class ItemOut(Schema):
    code: str
    label: str
    met: bool
    notes: str


class EvidenceOut(Schema):
    id: int
    item: str
    name: str
    content_type: str


class AssessmentOut(Schema):
    id: int
    position_id: int
    position_name: str
    assessed_on: datetime.date
    result: str
    result_label: str
    level_awarded: str
    assessor: str
    comment: str
    items: list[ItemOut]
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_position_name(obj):
        return obj.position.name

    @staticmethod
    def resolve_result_label(obj):
        return str(obj.get_result_display())

    @staticmethod
    def resolve_items(obj):
        return [{"code": code, "label": label, "met": met, "notes": notes}
                for code, label, met, notes in selectors.item_rows(obj)]

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())


class AssessmentIn(InputSchema):
    assessed_on: datetime.date
    assessor: str = Field(max_length=limit_of(Assessment, "assessor"))
    items: dict[str, bool] = Field(description="Met or not, by item: " + ", ".join(code for code, _ in FOUR_HAVES))
    notes: dict[str, str] = Field(default_factory=dict)
    level_awarded: PositionLevel = PositionLevel.NONE
    comment: str = Field(default="", max_length=limit_of(Assessment, "comment"))


@router.get("/assessments", response=list[AssessmentOut])
@paginate(PageNumberPagination, page_size=50)
def list_assessments(request, node: int | None = None, result: AssessmentResult | None = None,
                     year: int | None = Query(None, ge=1949, le=2100)):
    """Assessments in a subtree (the whole scope without ``node``), newest first."""
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.assessment_list(node=scope_node, result=result or "", year=year)


@router.get("/positions/{position_id}/assessments", response=list[AssessmentOut])
def position_assessments(request, position_id: int):
    position = selectors.access_position(position_id)
    return list(selectors.assessments_of(position).select_related("position"))


@router.post("/positions/{position_id}/assessments", response={201: AssessmentOut})
def record_assessment(request, position_id: int, payload: AssessmentIn):
    position = selectors.access_position(position_id)
    assessment = services.record_assessment(position=position, actor=request.user, **payload.dict())
    return Status(201, selectors.access_assessment(assessment.pk))


@router.get("/assessments/{assessment_id}", response=AssessmentOut)
def get_assessment(request, assessment_id: int):
    return selectors.access_assessment(assessment_id)


@router.post("/assessments/{assessment_id}/evidence", response={201: EvidenceOut})
def add_evidence(request, assessment_id: int, file: File[UploadedFile], item: Form[str]):
    assessment = selectors.access_assessment(assessment_id)
    return Status(201, services.add_evidence(assessment=assessment, actor=request.user, item=item, upload=file))
