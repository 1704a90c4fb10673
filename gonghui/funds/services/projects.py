"""The seven-step construction projects (see ``workflow.py`` for the declared steps).

Every state change goes through ``_fire``: the project row is locked, and the declared machine
(``workflow.PROJECT``) checks the actor's role at the union the step belongs to and that the step is
the project's next one (no skipping, nothing out of turn); the change is written to the project's
history and the audit log.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import check_length, excerpt, file_label
from gonghui.core.scoping import scopes_disabled
from gonghui.core.uploads import IMAGE, PDF, check_upload, store
from gonghui.core.workdays import add_workdays
from gonghui.orgs.models import Node
from gonghui.positions.models import Position

from ..models import (
    AppraisalScore,
    Objection,
    ObjectionStatus,
    PlanCategory,
    ProgressReport,
    Project,
    ProjectEvent,
    ProjectFile,
    ProjectKind,
    ProjectState,
)
from ..money import parse_amount, yuan
from ..workflow import PROJECT
from . import ledger, positions_link
from .ledger import _text, _year

MIN_PANEL = 3
MAX_FILES = 30
SCALE = (Decimal(0), Decimal(100))


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(project: Project) -> Project:
    with scopes_disabled():
        return Project.objects.select_for_update(of=("self",)).select_related(
            "node", "reviewer_node", "kind", "category").get(
            pk=project.pk)


def _fire(project: Project, name: str, actor, *, comment: str = "", data: dict | None = None,
          fields: tuple = ()) -> Project:
    old = project.state
    PROJECT.apply(project, name, permit=lambda move: require(
        actor, move.permission, node=project.node if move.side == "applicant" else project.reviewer_node))
    project.save(update_fields=["state", "updated_at", *fields])
    ProjectEvent.objects.create(project=project, action=name, from_state=old, to_state=project.state,
                                comment=excerpt(comment, ProjectEvent, "comment"), data=data or {}, actor=actor)
    audit(f"funds.project.{name}", actor=actor, obj=project, data={"from": old, "to": project.state, **(data or {})})
    return project


def _event(project: Project, action: str, actor, comment: str = "", data: dict | None = None) -> None:
    ProjectEvent.objects.create(project=project, action=action, from_state=project.state, to_state=project.state,
                                comment=excerpt(comment, ProjectEvent, "comment"), data=data or {}, actor=actor)
    audit(f"funds.project.{action}", actor=actor, obj=project, data=data or {})


def _require_state(project: Project, states: set, what: str) -> None:
    if project.state not in states:
        raise DomainError("out_of_turn", _("%(what)s is not possible now: the project is at “%(state)s”.")
                          % {"what": what, "state": ProjectState(project.state).label})


# --- step 1: application ---------------------------------------------------------------------------

@transaction.atomic
def apply_for_project(*, actor, node, kind: ProjectKind, title: str, year, category: PlanCategory, address: str,
          description: str, budget_total, subsidy_requested, reviewer_node=None, area_sqm=None, lat=None, lng=None,
          position_id: int | None = None, threshold=None, objection_days: int | None = None) -> Project:
    """基层申报: the grassroots union applies to a union above it, with a budget and a subsidy asked."""
    require(actor, "funds.project.apply", node=node)
    if not node.is_active:
        raise DomainError("node_inactive", _("%(node)s is merged or dissolved.") % {"node": node.name})
    if reviewer_node is None:
        reviewer_node = Node.objects.get_parent(node)
    if reviewer_node is None or reviewer_node.pk == node.pk or not node.path.startswith(reviewer_node.path):
        raise DomainError("reviewer_not_above", _("The reviewing union must be above the applying union."),
                          field="reviewer_node")
    year = _year(year)
    ledger._check_category(category, reviewer_node, year)
    budget_total = parse_amount(budget_total, field="budget_total")
    subsidy = parse_amount(subsidy_requested, field="subsidy_requested")
    if subsidy > budget_total:
        raise DomainError("subsidy_over_budget", _("The subsidy asked cannot exceed the project's budget."),
                          field="subsidy_requested")
    if subsidy > kind.max_subsidy:
        raise DomainError("subsidy_over_cap", _("A %(kind)s project gets at most %(cap)s yuan.")
                          % {"kind": kind.name, "cap": yuan(kind.max_subsidy)}, field="subsidy_requested")
    if area_sqm not in (None, ""):
        try:
            area_sqm = int(area_sqm)
        except (TypeError, ValueError):
            raise DomainError("area_invalid", _("The floor area is a whole number of square metres."),
                              field="area_sqm") from None
        if not 1 <= area_sqm <= 100000:
            raise DomainError("area_invalid", _("The floor area is a whole number of square metres."),
                              field="area_sqm")
    else:
        area_sqm = None
    if kind.upgrade and not position_id:
        raise DomainError("position_needed", _("An upgrade names the position to upgrade."), field="position_id")
    lat, lng = _point(lat, lng)
    project = Project.objects.create(
        node=node, reviewer_node=reviewer_node, kind=kind, title=_text(title, "title"), year=year, category=category,
        address=_text(address, "address", 200), description=_long_text(description, "description"),
        budget_total=budget_total, subsidy_requested=subsidy, area_sqm=area_sqm, lat=lat, lng=lng,
        position_id=position_id or None, applied_by=actor,
        threshold=_score(threshold, "threshold") if threshold not in (None, "") else Decimal(70),
        objection_days=_days(objection_days))
    ProjectEvent.objects.create(project=project, action="apply", to_state=project.state, actor=actor,
                                data={"subsidy": str(subsidy), "budget": str(budget_total)})
    audit("funds.project.applied", actor=actor, obj=project, data={"node": node.pk, "kind": kind.code,
                                                                  "subsidy": str(subsidy)})
    return project


def _long_text(value: str, field: str, max_length: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("required", _("This field is required."), field=field)
    if len(text) > max_length:
        raise DomainError("too_long", _("At most %(n)d characters.") % {"n": max_length}, field=field)
    return text


def _days(value) -> int:
    if value in (None, ""):
        return 5
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if not 1 <= days <= 30:
        raise DomainError("days_invalid", _("The objection period is 1 to 30 working days."), field="objection_days")
    return days


def _point(lat, lng):
    if lat in (None, "") and lng in (None, ""):
        return None, None
    try:
        lat, lng = Decimal(str(lat)).quantize(Decimal("0.000001")), Decimal(str(lng)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise DomainError("point_invalid", _("Give the location as latitude and longitude."), field="lat") from None
    if not (Decimal(3) < lat < Decimal(54) and Decimal(73) < lng < Decimal(136)):
        raise DomainError("point_invalid", _("The location lies outside China."), field="lat")
    return lat, lng


def _score(value, field: str = "score") -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("score_invalid", _("A score is a number from 0 to 100."), field=field) from None
    if not score.is_finite() or not SCALE[0] <= score <= SCALE[1]:
        raise DomainError("score_out_of_scale", _("A score is a number from 0 to 100."), field=field)
    if score != score.quantize(Decimal("0.01")):
        raise DomainError("score_precision", _("Scores have at most two decimal places."), field=field)
    return score


@transaction.atomic
def add_file(*, actor, project: Project, upload, purpose: str = ProjectFile.Purpose.APPLICATION,
             report: ProgressReport | None = None) -> ProjectFile:
    """Documents of the application (PDF or pictures), progress photos, acceptance evidence."""
    project = _lock(project)
    if purpose == ProjectFile.Purpose.ACCEPTANCE:
        require(actor, "funds.project.file_acceptance", node=project.reviewer_node)
        _require_state(project, {ProjectState.COMPLETED}, _("Adding acceptance evidence"))
    else:
        require(actor, "funds.project.file", node=project.node)
        allowed = {ProjectState.APPLIED} if purpose == ProjectFile.Purpose.APPLICATION else {ProjectState.IMPLEMENTING}
        _require_state(project, allowed, _("Adding this file"))
    if project.files.count() >= MAX_FILES:
        raise DomainError("too_many_files", _("A project keeps at most %(n)d files.") % {"n": MAX_FILES},
                          field="file")
    kinds = (IMAGE,) if purpose == ProjectFile.Purpose.PROGRESS else (IMAGE, PDF)
    checked = check_upload(upload, kinds=kinds)
    stored = store(checked.content, folder="funds/projects", extension=checked.extension)
    item = ProjectFile.objects.create(project=project, purpose=purpose, report=report, stored_name=stored,
                                      content_type=checked.content_type, original_name=file_label(checked.original_name, ProjectFile, "original_name"),
                                      size=checked.size, uploaded_by=actor)
    audit("funds.project.file_added", actor=actor, obj=project, data={"file": item.pk, "purpose": purpose})
    return item


# --- step 2: review --------------------------------------------------------------------------------

@transaction.atomic
def pass_review(*, actor, project: Project, comment: str = "") -> Project:
    """市总审核: the reviewing union passes the application on to the joint appraisal."""
    project = _lock(project)
    check_length(ProjectEvent, "comment", comment)
    return _fire(project, "review", actor, comment=comment)


@transaction.atomic
def reject_project(*, actor, project: Project, comment: str) -> Project:
    """市总审核: the reviewing union rejects the application, with the reason (the project's outcome)."""
    project = _lock(project)
    if not (comment or "").strip():
        raise DomainError("reason_needed", _("Give the reason for rejecting the application."), field="comment")
    check_length(Project, "outcome", comment.strip(), field="comment")  # the reason is the project's outcome
    project.outcome = comment.strip()
    return _fire(project, "reject", actor, comment=comment, fields=("outcome",))


# --- step 3: joint appraisal -------------------------------------------------------------------------

@transaction.atomic
def record_score(*, actor, project: Project, panelist: str, score, affiliation: str = "",
                 comment: str = "") -> AppraisalScore:
    """One panel member's score (0–100) and comment, entered from the appraisal sheet."""
    project = _lock(project)
    require(actor, "funds.project.score", node=project.reviewer_node)
    _require_state(project, {ProjectState.REVIEWED}, _("Recording a score"))
    panelist = _text(panelist, "panelist", 50)
    value = _score(score)
    check_length(AppraisalScore, "comment", (comment or "").strip())
    if project.scores.filter(panelist=panelist).exists():
        raise DomainError("scored_twice", _("%(name)s has already scored this project.") % {"name": panelist},
                          field="panelist")
    item = AppraisalScore.objects.create(project=project, panelist=panelist, score=value,
                                         affiliation=_text(affiliation, "affiliation", 100, required=False),
                                         comment=(comment or "").strip(), recorded_by=actor)
    audit("funds.project.scored", actor=actor, obj=project, data={"panelist": panelist, "score": str(value)})
    return item


@transaction.atomic
def conclude_appraisal(*, actor, project: Project) -> Project:
    """The mean of the panel's scores against the project's pass mark decides; a panel has three or more."""
    project = _lock(project)
    require(actor, "funds.project.appraise", node=project.reviewer_node)
    _require_state(project, {ProjectState.REVIEWED}, _("Concluding the appraisal"))
    scores = [s.score for s in project.scores.all()]
    if len(scores) < MIN_PANEL:
        raise DomainError("panel_too_small", _("The joint appraisal needs the scores of at least %(n)d panel "
                                               "members; %(have)d so far.") % {"n": MIN_PANEL, "have": len(scores)})
    mean = (sum(scores) / len(scores)).quantize(Decimal("0.01"))
    project.appraisal_score = mean
    passed = mean >= project.threshold
    comment = _("Mean score %(mean)s, pass mark %(mark)s.") % {"mean": mean, "mark": project.threshold}
    if not passed:
        project.outcome = excerpt(comment, Project, "outcome")
    return _fire(project, "appraisal_passed" if passed else "appraisal_failed", actor, comment=comment,
                 data={"mean": str(mean), "panel": len(scores)}, fields=("appraisal_score", "outcome"))


# --- step 4: approval and publicity ------------------------------------------------------------------

@transaction.atomic
def start_publicity(*, actor, project: Project, on: datetime.date | None = None) -> Project:
    """立项公示: objections are taken for ``objection_days`` working days (Chinese calendar)."""
    project = _lock(project)
    start = on or _today()
    project.publicity_from = start
    project.publicity_until = add_workdays(start, project.objection_days)
    return _fire(project, "publicize", actor, comment=_("Objections until %(day)s.") % {"day": project.publicity_until},
                 data={"until": project.publicity_until.isoformat()}, fields=("publicity_from", "publicity_until"))


@transaction.atomic
def file_objection(*, actor, project: Project, raised_by: str, text: str, on: datetime.date | None = None) -> Objection:
    """An objection is taken only during the publicity period; one raised after it is refused."""
    project = _lock(project)
    require(actor, "funds.project.objection", node=project.reviewer_node)
    _require_state(project, {ProjectState.PUBLICITY}, _("Recording an objection"))
    on = on or _today()
    if on > project.publicity_until:
        raise DomainError("objection_late", _("The objection period ended on %(day)s; objections raised later are "
                                              "not accepted.") % {"day": project.publicity_until})
    if on < project.publicity_from:
        raise DomainError("objection_early", _("The publicity starts on %(day)s.") % {"day": project.publicity_from})
    objection = Objection.objects.create(project=project, raised_by=_text(raised_by, "raised_by", 50),
                                         text=_long_text(text, "text", 1000), raised_on=on, recorded_by=actor)
    _event(project, "objection", actor, comment=excerpt(objection.text, ProjectEvent, "comment"), data={"objection": objection.pk})
    return objection


@transaction.atomic
def answer_objection(*, actor, objection: Objection, upheld: bool, answer: str) -> Objection:
    """A dismissed objection is answered; an upheld one stops the project."""
    project = _lock(objection.project)
    require(actor, "funds.project.answer", node=project.reviewer_node)
    with scopes_disabled():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise DomainError("objection_answered", _("This objection has already been answered."))
    _require_state(project, {ProjectState.PUBLICITY}, _("Answering an objection"))
    answer = _long_text(answer, "answer", 500)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.answer, objection.answered_by, objection.answered_at = answer, actor, timezone.now()
    objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    if upheld:
        check_length(Project, "outcome", answer, field="answer")  # an upheld objection's answer is the outcome
        project.outcome = answer
        _fire(project, "objection_upheld", actor, comment=answer, data={"objection": objection.pk},
              fields=("outcome",))
    else:
        _event(project, "objection_dismissed", actor, comment=answer, data={"objection": objection.pk})
    return objection


@transaction.atomic
def approve_project(*, actor, project: Project, on: datetime.date | None = None) -> Project:
    """立项: after the objection period, with every objection answered."""
    project = _lock(project)
    require(actor, "funds.project.approve", node=project.reviewer_node)
    _require_state(project, {ProjectState.PUBLICITY}, _("Approval"))
    if (on or _today()) <= project.publicity_until:
        raise DomainError("publicity_running", _("The objection period runs until %(day)s; approve after it.")
                          % {"day": project.publicity_until})
    if project.objections.filter(status=ObjectionStatus.OPEN).exists():
        raise DomainError("objections_open", _("Answer every objection first."))
    return _fire(project, "approve", actor)


# --- step 5: implementation --------------------------------------------------------------------------

@transaction.atomic
def report_progress(*, actor, project: Project, percent, text: str, spent=0, on: datetime.date | None = None,
                    photos=()) -> ProgressReport:
    project = _lock(project)
    require(actor, "funds.project.progress", node=project.node)
    _require_state(project, {ProjectState.IMPLEMENTING}, _("Reporting progress"))
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        raise DomainError("percent_invalid", _("Progress is a whole number from 0 to 100."), field="percent")
    last = project.reports.order_by("-on", "-id").first()
    if last is not None and percent < last.percent:
        raise DomainError("percent_backwards", _("The last report said %(p)d%%; progress cannot go back.")
                          % {"p": last.percent}, field="percent")
    spent = parse_amount(spent, field="spent", allow_zero=True)
    on = on or _today()
    if on > _today():
        raise DomainError("date_future", _("The date cannot be in the future."), field="on")
    report = ProgressReport.objects.create(project=project, on=on, percent=percent, text=_long_text(text, "text"),
                                           spent=spent, reported_by=actor)
    for photo in photos:
        add_file(project=project, actor=actor, upload=photo, purpose=ProjectFile.Purpose.PROGRESS, report=report)
    _event(project, "progress", actor, comment=excerpt(report.text, ProjectEvent, "comment"), data={"percent": percent, "report": report.pk})
    return report


@transaction.atomic
def complete_project(*, actor, project: Project) -> Project:
    """The applying union declares the works done (a report at 100% with a photo) and asks for acceptance."""
    project = _lock(project)
    require(actor, "funds.project.complete", node=project.node)
    _require_state(project, {ProjectState.IMPLEMENTING}, _("Asking for acceptance"))
    last = project.reports.order_by("-on", "-id").first()
    if last is None or last.percent < 100:
        raise DomainError("not_finished", _("Report the works at 100% before asking for acceptance."))
    if not project.files.filter(purpose=ProjectFile.Purpose.PROGRESS).exists():
        raise DomainError("no_photos", _("Add at least one photo of the works before asking for acceptance."))
    return _fire(project, "complete", actor)


# --- step 6: acceptance --------------------------------------------------------------------------------

@transaction.atomic
def accept_project(*, actor, project: Project, checklist: dict, notes: str = "") -> Project:
    """达标验收 against the kind's standard (for a worker's home, the four haves): every item met
    passes, and the position is registered or upgraded; otherwise the works go back to be put right."""
    project = _lock(project)
    require(actor, "funds.project.accept", node=project.reviewer_node)
    _require_state(project, {ProjectState.COMPLETED}, _("Acceptance"))
    items = [str(i) for i in project.kind.standard]
    unknown = set(checklist) - set(items)
    if unknown:
        raise DomainError("unknown_item", _("“%(item)s” is not an item of the standard.") % {"item": sorted(unknown)[0]},
                          field="checklist")
    result = {item: bool(checklist.get(item)) for item in items}
    notes = (notes or "").strip()
    check_length(ProjectEvent, "comment", notes, field="notes")  # the notes are the acceptance's comment
    project.acceptance = {"items": result, "notes": notes, "on": _today().isoformat()}
    missing = [item for item, met in result.items() if not met]
    if missing:
        return _fire(project, "acceptance_failed", actor, comment=_("Not met: %(items)s") % {"items": "、".join(missing)},
                     data={"missing": missing}, fields=("acceptance",))
    _fire(project, "accept", actor, comment=notes, fields=("acceptance",))
    _register_position(project, actor)
    return project


def _register_position(project: Project, actor) -> None:
    """Create the new position, or upgrade the existing one, for the project (``positions_link``: done
    by the system on the acceptance's permission, not the actor's rights in the positions module)."""
    try:
        with transaction.atomic():
            position, note = positions_link.register_position(project=project, actor=actor, today=_today())
    except (DomainError, ValidationError, Position.DoesNotExist) as exc:
        reason = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
        project.outcome = excerpt(_("Position not registered automatically (%(reason)s); register it in the "
                                    "positions module.") % {"reason": reason}, Project, "outcome")
        project.save(update_fields=["outcome"])
        _event(project, "position_pending", actor, comment=project.outcome)
        return
    project.position_id, project.outcome = position.pk, excerpt(note, Project, "outcome")
    project.save(update_fields=["position_id", "outcome"])
    _event(project, "position", actor, comment=note, data={"position": position.pk})


# --- step 7: the subsidy ------------------------------------------------------------------------------

@transaction.atomic
def request_subsidy(*, actor, project: Project, amount=None) -> Project:
    """下拨补助: the reviewing union prepares the payment; a finance officer approves it in the ledger."""
    project = _lock(project)
    _require_state(project, {ProjectState.ACCEPTED}, _("Preparing the subsidy"))
    amount = project.subsidy_requested if amount in (None, "") else parse_amount(amount)
    if amount > project.subsidy_requested:
        raise DomainError("subsidy_over_request", _("The subsidy cannot exceed the %(amount)s yuan asked.")
                          % {"amount": yuan(project.subsidy_requested)}, field="amount")
    payment = ledger.prepare_payment(node=project.reviewer_node, year=project.year, category=project.category,
                                     amount=amount, payee_node=project.node, actor=actor, project=project,
                                     purpose=_("Subsidy: %(title)s") % {"title": project.title})
    return _fire(project, "request_subsidy", actor, data={"payment": payment.pk, "amount": str(amount)})


def settle_subsidy(*, actor, payment, paid: bool) -> None:
    """Called by the ledger when the subsidy payment is approved, rejected or reversed."""
    project = _lock(payment.project)
    if paid:
        project.subsidy_granted = payment.amount
        _fire(project, "subsidy_paid", actor, data={"payment": payment.pk}, fields=("subsidy_granted",))
    elif project.state == ProjectState.SUBSIDY_PENDING:
        _fire(project, "subsidy_refused", actor, comment=payment.reason, data={"payment": payment.pk})
    elif project.state == ProjectState.PAID:
        project.subsidy_granted = None
        _fire(project, "subsidy_reversed", actor, comment=payment.reason, data={"payment": payment.pk},
              fields=("subsidy_granted",))
