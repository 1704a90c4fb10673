"""Chair performance reviews (述职评议考核) and field work (蹲点).

Reviews: weights of the round's indicators add up to 100; each reviewer marks every indicator
from 0 to 100 (one decimal at most); a report's score is the weighted mean over its reviewers;
closing ranks the reports and grades them (优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格). A closed
round takes no more reports or marks.

Field work: a group of a union visits unions below it; each visit records the opinions heard;
problems are listed from a visit, measures answer a problem and count the difficulties solved;
a problem is closed as solved once it has a measure.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import check_length
from gonghui.core.scoping import scopes_disabled

from ..models import (
    ChairReport,
    ChairScore,
    FieldMeasure,
    FieldProblem,
    FieldVisit,
    Grade,
    ReviewRound,
    WorkGroup,
)
from .ledger import _text, _year

GRADES = [(Decimal(90), Grade.EXCELLENT), (Decimal(80), Grade.GOOD), (Decimal(60), Grade.PASS)]


def _grade_of(total: Decimal) -> str:
    for floor, grade in GRADES:
        if total >= floor:
            return grade
    return Grade.FAIL


def _below(node, top, field: str = "node") -> None:
    if node.pk == top.pk or not node.path.startswith(top.path):
        raise DomainError("not_below", _("Only unions below %(node)s can take part.") % {"node": top.name}, field=field)


def _open(round_: ReviewRound) -> None:
    if round_.closed_at is not None:
        raise DomainError("round_closed", _("This review round is closed."))


def _lock(round_: ReviewRound) -> ReviewRound:
    with scopes_disabled():
        return ReviewRound.objects.select_for_update(of=("self",)).select_related("node").get(pk=round_.pk)


@transaction.atomic
def create_round(*, actor, node, year, title: str, indicators: list[dict]) -> ReviewRound:
    require(actor, "funds.review.create", node=node)
    cleaned, names = [], set()
    for row in indicators:
        name = _text(row.get("name", ""), "indicators", 40)
        try:
            weight = int(row.get("weight"))
        except (TypeError, ValueError):
            weight = 0
        if name in names or not 1 <= weight <= 100:
            raise DomainError("indicator_invalid", _("Each indicator has its own name and a weight from 1 to 100."),
                              field="indicators")
        names.add(name)
        cleaned.append({"name": name, "weight": weight})
    if sum(i["weight"] for i in cleaned) != 100:
        raise DomainError("weights_not_100", _("The weights of the indicators must add up to 100."),
                          field="indicators")
    round_ = ReviewRound.objects.create(node=node, year=_year(year), title=_text(title, "title"), indicators=cleaned,
                                        created_by=actor)
    audit("funds.review.created", actor=actor, obj=round_, data={"indicators": len(cleaned)})
    return round_


@transaction.atomic
def submit_report(*, actor, round_: ReviewRound, node, chair_name: str, text: str) -> ChairReport:
    """The chair's report, entered by the union itself (or the union above it)."""
    round_ = _lock(round_)
    require(actor, "funds.review.report", node=node)
    _open(round_)
    _below(node, round_.node)
    body = (text or "").strip()
    if not body:
        raise DomainError("required", _("This field is required."), field="text")
    check_length(ChairReport, "text", body)
    try:
        with transaction.atomic():
            report = ChairReport.objects.create(round=round_, node=node, chair_name=_text(chair_name, "chair_name", 50),
                                                text=body, submitted_by=actor)
    except IntegrityError:
        raise DomainError("reported_twice", _("%(node)s has already submitted its report in this round.")
                          % {"node": node.name}, field="node") from None
    audit("funds.review.reported", actor=actor, obj=report, data={"round": round_.pk})
    return report


@transaction.atomic
def score_report(*, actor, report: ChairReport, reviewer: str, marks: dict) -> ChairScore:
    round_ = _lock(report.round)
    require(actor, "funds.review.score", node=round_.node)
    _open(round_)
    weights = {i["name"]: Decimal(i["weight"]) for i in round_.indicators}
    if set(marks) != set(weights):
        raise DomainError("marks_incomplete", _("Mark every indicator of the round, and only those."), field="marks")
    clean, total = {}, Decimal(0)
    for name, weight in weights.items():
        try:
            value = Decimal(str(marks[name]).strip())
        except (InvalidOperation, ValueError):
            value = Decimal(-1)
        if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.1")):
            raise DomainError("score_out_of_scale", _("“%(name)s” is marked from 0 to 100.") % {"name": name},
                              field="marks")
        clean[name] = str(value)
        total += value * weight / 100
    try:
        with transaction.atomic():
            item = ChairScore.objects.create(report=report, reviewer=_text(reviewer, "reviewer", 50), marks=clean,
                                             total=total.quantize(Decimal("0.01")), recorded_by=actor)
    except IntegrityError:
        raise DomainError("scored_twice", _("%(name)s has already scored this report.") % {"name": reviewer},
                          field="reviewer") from None
    audit("funds.review.scored", actor=actor, obj=report, data={"reviewer": item.reviewer, "total": str(item.total)})
    return item


@transaction.atomic
def close_round(*, actor, round_: ReviewRound) -> ReviewRound:
    """Rank by the mean of the reviewers' weighted scores and grade; every report must be scored."""
    round_ = _lock(round_)
    require(actor, "funds.review.close", node=round_.node)
    _open(round_)
    with scopes_disabled():
        reports = list(ChairReport.objects.filter(round=round_).select_related("node")
                       .annotate(mean=Avg("scores__total")))
    if not reports:
        raise DomainError("no_reports", _("No chair has reported yet."))
    unscored = [r.node.name for r in reports if r.mean is None]
    if unscored:
        raise DomainError("unscored", _("Not scored yet: %(names)s.") % {"names": "、".join(unscored[:5])})
    reports.sort(key=lambda r: (-r.mean, r.pk))
    for position, report in enumerate(reports, start=1):
        report.total = Decimal(report.mean).quantize(Decimal("0.01"))
        report.rank, report.grade = position, _grade_of(report.total)
        report.save(update_fields=["total", "rank", "grade"])
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at"])
    audit("funds.review.closed", actor=actor, obj=round_, data={"reports": len(reports)})
    return round_


# --- field work ---------------------------------------------------------------------------------------

@transaction.atomic
def create_group(*, actor, node, year, name: str, leader: str, members: str = "") -> WorkGroup:
    require(actor, "funds.fieldwork.group", node=node)
    group = WorkGroup.objects.create(node=node, year=_year(year), name=_text(name, "name"),
                                     leader=_text(leader, "leader", 50),
                                     members=_text(members, "members", 300, required=False), created_by=actor)
    audit("funds.fieldwork.group_created", actor=actor, obj=group)
    return group


def _count(value, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if not 0 <= number <= 100000:
        raise DomainError("count_invalid", _("Enter a whole number from 0 upwards."), field=field)
    return number


@transaction.atomic
def record_visit(*, actor, group: WorkGroup, node, on: datetime.date, opinions, notes: str = "") -> FieldVisit:
    require(actor, "funds.fieldwork.visit", node=group.node)
    if node.pk != group.node_id:
        _below(node, group.node)
    if on > timezone.localdate():
        raise DomainError("date_future", _("The date cannot be in the future."), field="on")
    notes = (notes or "").strip()
    check_length(FieldVisit, "notes", notes)
    visit = FieldVisit.objects.create(group=group, node=node, on=on, opinions=_count(opinions, "opinions"),
                                      notes=notes, recorded_by=actor)
    audit("funds.fieldwork.visited", actor=actor, obj=group, data={"visit": visit.pk, "node": node.pk})
    return visit


@transaction.atomic
def record_problem(*, actor, visit: FieldVisit, text: str) -> FieldProblem:
    require(actor, "funds.fieldwork.problem", node=visit.group.node)
    problem = FieldProblem.objects.create(visit=visit, text=_text(text, "text", 500), recorded_by=actor)
    audit("funds.fieldwork.problem", actor=actor, obj=visit.group, data={"problem": problem.pk})
    return problem


@transaction.atomic
def take_measure(*, actor, problem: FieldProblem, text: str, difficulties_solved=0, on: datetime.date | None = None,
                 solved: bool = False) -> FieldMeasure:
    group = problem.visit.group
    require(actor, "funds.fieldwork.measure", node=group.node)
    if problem.solved_on is not None:
        raise DomainError("problem_solved", _("This problem is already closed as solved."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError("date_future", _("The date cannot be in the future."), field="on")
    measure = FieldMeasure.objects.create(problem=problem, text=_text(text, "text", 500), on=on,
                                          difficulties_solved=_count(difficulties_solved, "difficulties_solved"),
                                          recorded_by=actor)
    if solved:
        problem.solved_on = on
        problem.save(update_fields=["solved_on"])
    audit("funds.fieldwork.measure", actor=actor, obj=group, data={"problem": problem.pk, "solved": solved})
    return measure
