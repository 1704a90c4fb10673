"""API of demonstration awards, chair performance reviews and field work."""

import datetime
from decimal import Decimal

from django.http import Http404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from gonghui.accounts.permissions import require
from gonghui.aid.idempotency import idempotent
from gonghui.core.limits import limit_of
from gonghui.core.schemas import Count, Id, InputSchema, Pages, Year
from gonghui.orgs import selectors as orgs

from .. import limits, selectors
from ..models import (
    AwardCall,
    AwardQuota,
    ChairReport,
    ChairScore,
    FieldMeasure,
    FieldProblem,
    FieldVisit,
    Nomination,
    NominationScore,
    ReviewRound,
    WorkGroup,
)
from ..services import awards, evaluation
from .common import Amount, category, router

# --- awards -------------------------------------------------------------------------------------------

class QuotaOut(Schema):
    id: int
    name: str
    quota: int
    reward: Decimal


class AwardCallOut(Schema):
    id: int
    node_id: int
    year: int
    title: str
    category_id: int
    indicators: list
    state: str
    publicity_until: datetime.date | None
    quotas: list[QuotaOut]

    @staticmethod
    def resolve_quotas(obj):
        return list(obj.quotas.all())


class QuotaIn(InputSchema):
    name: str = Field(max_length=limit_of(AwardQuota, "name"))
    quota: int = Field(ge=1, le=1000)
    reward: Amount


class IndicatorIn(InputSchema):
    """An indicator marked by scorers, or read from statistics: ``indicator`` names a figure of the
    statistics (e.g. ``members.total``) and ``target`` the value that earns the top mark."""

    name: str = Field(max_length=limits.INDICATOR_NAME)
    max: int = Field(ge=1, le=100)
    indicator: str = Field("", max_length=limits.INDICATOR_KEY)
    target: Decimal | None = None


class AwardCallIn(InputSchema):
    node_id: Id
    year: Year
    title: str = Field(max_length=limit_of(AwardCall, "title"))
    category_id: Id
    indicators: list[IndicatorIn]
    quotas: list[QuotaIn]


class NominationOut(Schema):
    id: int
    quota_id: int
    node_id: int
    node_name: str
    status: str
    total: Decimal | None
    rank: int | None
    readings: dict

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name


class NominationIn(InputSchema):
    quota_id: Id
    node_id: Id
    statement: str = Field(max_length=limit_of(Nomination, "statement"))


class MarksIn(InputSchema):
    scorer: str = Field(max_length=limit_of(NominationScore, "scorer"))
    marks: dict[str, Decimal | str]


class AwardStepIn(InputSchema):
    step: str = Field(pattern="^(close_nominations|rank|award|pay_rewards)$")


@router.get("/funds/awards", response=list[AwardCallOut])
@paginate(Pages, page_size=50)
def list_award_calls(request):
    return selectors.award_call_list()


@router.post("/funds/awards", response={201: AwardCallOut})
def create_award_call(request, payload: AwardCallIn):
    node = orgs.access_node(payload.node_id)
    call = awards.create_call(node=node, actor=request.user, year=payload.year, title=payload.title,
                              category=category(payload.category_id),
                              indicators=[{**i.dict(), "target": "" if i.target is None else str(i.target)}
                                          for i in payload.indicators],
                              quotas=[q.dict() for q in payload.quotas])
    return Status(201, call)


@router.get("/funds/awards/{call_id}/nominations", response=list[NominationOut])
def list_nominations(request, call_id: Id):
    return list(selectors.nominations_of(selectors.access_award_call(call_id)))


@router.post("/funds/awards/nominations", response={201: NominationOut})
def nominate(request, payload: NominationIn):
    quota = selectors.access_quota(payload.quota_id)
    node = orgs.access_node(payload.node_id)
    return Status(201, awards.nominate_for_award(quota=quota, node=node, actor=request.user, statement=payload.statement))


@router.post("/funds/awards/nominations/{nomination_id}/scores", response={201: NominationOut})
def score_nomination(request, nomination_id: Id, payload: MarksIn):
    nomination = selectors.access_nomination(nomination_id)
    awards.score_nomination(nomination=nomination, actor=request.user, scorer=payload.scorer, marks=payload.marks)
    return Status(201, selectors.access_nomination(nomination_id))


@router.post("/funds/awards/{call_id}/steps", response=AwardCallOut)
@idempotent("funds.award.step")
def advance_award_call(request, call_id: Id, payload: AwardStepIn):
    call = selectors.access_award_call(call_id)
    require(request.user, "funds.award.step", node=call.node)
    getattr(awards, payload.step)(call=call, actor=request.user)
    return selectors.access_award_call(call_id)


# --- chair reviews and field work ---------------------------------------------------------------------

class WeightIn(InputSchema):
    name: str = Field(max_length=limits.INDICATOR_NAME)
    weight: int = Field(ge=1, le=100)


class ReviewRoundIn(InputSchema):
    node_id: Id
    year: Year
    title: str = Field(max_length=limit_of(ReviewRound, "title"))
    indicators: list[WeightIn]


class ReviewRoundOut(Schema):
    id: int
    node_id: int
    year: int
    title: str
    indicators: list
    closed_at: datetime.datetime | None


class ChairReportIn(InputSchema):
    node_id: Id
    chair_name: str = Field(max_length=limit_of(ChairReport, "chair_name"))
    text: str = Field(max_length=limit_of(ChairReport, "text"))


class ChairReportOut(Schema):
    id: int
    round_id: int
    node_id: int
    chair_name: str
    total: Decimal | None
    rank: int | None
    grade: str


class ReviewMarksIn(InputSchema):
    reviewer: str = Field(max_length=limit_of(ChairScore, "reviewer"))
    marks: dict[str, Decimal | str]


class WorkGroupIn(InputSchema):
    node_id: Id
    year: Year
    name: str = Field(max_length=limit_of(WorkGroup, "name"))
    leader: str = Field(max_length=limit_of(WorkGroup, "leader"))
    members: str = Field("", max_length=limit_of(WorkGroup, "members"))


class WorkGroupOut(Schema):
    id: int
    node_id: int
    year: int
    name: str
    leader: str
    members: str


class VisitIn(InputSchema):
    node_id: Id
    on: datetime.date
    opinions: Count = Field(ge=0)
    notes: str = Field("", max_length=limit_of(FieldVisit, "notes"))


class FieldVisitOut(Schema):
    id: int
    group_id: int
    node_id: int
    on: datetime.date
    opinions: int
    notes: str


class ProblemIn(InputSchema):
    text: str = Field(max_length=limit_of(FieldProblem, "text"))


class ProblemOut(Schema):
    id: int
    visit_id: int
    text: str
    solved_on: datetime.date | None


class MeasureIn(InputSchema):
    text: str = Field(max_length=limit_of(FieldMeasure, "text"))
    difficulties_solved: Count = Field(0, ge=0)
    on: datetime.date | None = None
    solved: bool = False


class MeasureOut(Schema):
    id: int
    problem_id: int
    text: str
    difficulties_solved: int
    on: datetime.date


class FieldCountsOut(Schema):
    node_id: int | None
    node_name: str
    visits: int
    opinions: int
    problems: int
    measures: int
    solved: int
    difficulties: int


@router.get("/funds/reviews", response=list[ReviewRoundOut])
@paginate(Pages, page_size=50)
def list_review_rounds(request):
    return selectors.review_round_list()


@router.post("/funds/reviews", response={201: ReviewRoundOut})
def create_review_round(request, payload: ReviewRoundIn):
    node = orgs.access_node(payload.node_id)
    return Status(201, evaluation.create_round(node=node, actor=request.user, year=payload.year, title=payload.title,
                                               indicators=[i.dict() for i in payload.indicators]))


@router.get("/funds/reviews/{round_id}/reports", response=list[ChairReportOut])
def list_chair_reports(request, round_id: Id):
    return list(selectors.reports_of(selectors.access_review_round(round_id)))


@router.post("/funds/reviews/{round_id}/reports", response={201: ChairReportOut})
def submit_chair_report(request, round_id: Id, payload: ChairReportIn):
    round_ = selectors.access_review_round(round_id)
    node = orgs.access_node(payload.node_id)
    return Status(201, evaluation.submit_report(round_=round_, node=node, actor=request.user,
                                                chair_name=payload.chair_name, text=payload.text))


@router.post("/funds/reviews/reports/{report_id}/scores", response={201: ChairReportOut})
def score_chair_report(request, report_id: Id, payload: ReviewMarksIn):
    report = selectors.access_chair_report(report_id)
    evaluation.score_report(report=report, actor=request.user, reviewer=payload.reviewer, marks=payload.marks)
    return Status(201, selectors.access_chair_report(report_id))


@router.post("/funds/reviews/{round_id}/close", response=ReviewRoundOut)
def close_review_round(request, round_id: Id):
    return evaluation.close_round(round_=selectors.access_review_round(round_id), actor=request.user)


@router.get("/funds/fieldwork", response=list[FieldCountsOut])
def field_summary(request, node: Id | None = None, year: Year | None = None):
    """Opinions heard → problems listed → measures taken → difficulties solved, the union and each child."""
    scope_node = orgs.access_node(node) if node is not None else selectors.default_node()
    if scope_node is None:
        raise Http404
    return [{"node_id": r.node.pk, "node_name": r.node.name, "visits": r.visits, "opinions": r.opinions,
             "problems": r.problems, "measures": r.measures, "solved": r.solved, "difficulties": r.difficulties}
            for r in selectors.field_counts(node=scope_node, year=year)]


@router.get("/funds/fieldwork/groups", response=list[WorkGroupOut])
@paginate(Pages, page_size=50)
def list_work_groups(request):
    return selectors.work_group_list()


@router.post("/funds/fieldwork/groups", response={201: WorkGroupOut})
def create_work_group(request, payload: WorkGroupIn):
    node = orgs.access_node(payload.node_id)
    return Status(201, evaluation.create_group(node=node, actor=request.user, year=payload.year, name=payload.name,
                                               leader=payload.leader, members=payload.members))


@router.post("/funds/fieldwork/groups/{group_id}/visits", response={201: FieldVisitOut})
def record_field_visit(request, group_id: Id, payload: VisitIn):
    group = selectors.access_work_group(group_id)
    node = orgs.access_node(payload.node_id)
    return Status(201, evaluation.record_visit(group=group, node=node, actor=request.user, on=payload.on,
                                               opinions=payload.opinions, notes=payload.notes))


@router.post("/funds/fieldwork/visits/{visit_id}/problems", response={201: ProblemOut})
def add_field_problem(request, visit_id: Id, payload: ProblemIn):
    visit = selectors.access_field_visit(visit_id)
    return Status(201, evaluation.record_problem(visit=visit, actor=request.user, text=payload.text))


@router.post("/funds/fieldwork/problems/{problem_id}/measures", response={201: MeasureOut})
def add_field_measure(request, problem_id: Id, payload: MeasureIn):
    problem = selectors.access_field_problem(problem_id)
    return Status(201, evaluation.take_measure(problem=problem, actor=request.user, text=payload.text,
                                               difficulties_solved=payload.difficulties_solved, on=payload.on,
                                               solved=payload.solved))

