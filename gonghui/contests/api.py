"""API of contests under /api/v1/contests…, scoped like the console: the organizer's side (create,
rounds, items, judges, scoring, results, prizes), the entering union's side (enterprises, workers)
and the judge's own sheets (/api/v1/contests/judging…: by account, entry numbers only)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.schemas import Id, InputSchema, Year, named_choices
from gonghui.orgs import selectors as orgs

from . import pdf, selectors
from .models import ContestKind, ContestLevel, Part, Stage
from .services import awards, entries, judging, setup

router = Router(tags=["contests"])

Number = str | int  # a score or weight as a string or integer; a JSON float is refused (422)


class ContestOut(Schema):
    id: int
    node_id: int
    name: str
    kind: str
    level: str
    trade: str
    year: int
    theory_weight: Decimal
    practical_weight: Decimal
    drop_extremes: bool
    winner_title: str


class ContestIn(InputSchema):
    node: Id
    name: str
    trade: str
    kind: named_choices("ContestKind", ContestKind) = ContestKind.SKILLS
    level: named_choices("ContestLevel", ContestLevel)
    year: Year
    theory_weight: Number
    practical_weight: Number
    drop_extremes: bool = False
    winner_title: str = ""


class RoundOut(Schema):
    id: int
    contest_id: int
    stage: str
    held_on: datetime.date
    status: str
    advance_count: int


class RoundIn(InputSchema):
    stage: named_choices("ContestStage", Stage)
    held_on: datetime.date
    advance_count: int = 0


class ContestItemOut(Schema):
    id: int
    part: str
    name: str
    min_score: Decimal
    max_score: Decimal


class ItemIn(InputSchema):
    part: named_choices("ContestPart", Part)
    name: str
    min_score: Number = 0
    max_score: Number


class ContestDetailOut(ContestOut):
    rounds: list[RoundOut]
    items: list[ContestItemOut]


class ParticipationOut(Schema):
    id: int
    round_id: int
    employer_id: int
    employer_name: str
    union_id: int

    @staticmethod
    def resolve_employer_name(obj):
        return obj.employer.name


class EnterIn(InputSchema):
    employer: Id


class EntryOut(Schema):
    id: int
    round_id: int
    participation_id: int
    number: int
    name: str


class WorkerIn(InputSchema):
    name: str


class JudgeIn(InputSchema):
    judge: Id
    entries: list[Id]


class ResultOut(Schema):
    entry_id: int
    number: int
    name: str
    employer_name: str
    rank: int | None
    theory: Decimal
    practical: Decimal
    total: Decimal | None
    award: str | None


class AwardIn(InputSchema):
    first: int = 1
    second: int = 2
    third: int = 3


class AwardOut(Schema):
    id: int
    entry_id: int
    tier: str
    rank: int
    total: Decimal
    serial: str
    title: str


class SheetOut(Schema):
    entry_id: int
    contest: str
    stage: str
    number: int
    submitted: bool
    scores: dict[str, Decimal]


class ScoresIn(InputSchema):
    scores: dict[str, Number]
    submit: bool = False


def _detail(contest):
    return {**{f: getattr(contest, f) for f in ContestOut.model_fields if f != "node_id"}, "node_id": contest.node_id,
            "rounds": selectors.rounds_of(contest), "items": selectors.items_of(contest)}


@router.get("/contests", response=list[ContestOut])
@paginate(PageNumberPagination, page_size=50)
def list_contests(request, year: Year | None = None):
    """Contests organized in the caller's subtree or above it (to enter), newest first."""
    return selectors.contest_list(year=year)


@router.post("/contests", response={201: ContestDetailOut})
def create_contest(request, payload: ContestIn):
    data = payload.dict()
    node = orgs.access_node(data.pop("node"))
    contest = setup.create_contest(node=node, actor=request.user, **data)
    return Status(201, _detail(contest))


@router.get("/contests/{contest_id}", response=ContestDetailOut)
def get_contest(request, contest_id: Id):
    return _detail(selectors.access_contest(contest_id))


@router.post("/contests/{contest_id}/rounds", response={201: RoundOut})
def add_round(request, contest_id: Id, payload: RoundIn):
    contest = selectors.access_contest(contest_id)
    return Status(201, setup.add_round(contest=contest, actor=request.user, **payload.dict()))


@router.post("/contests/{contest_id}/items", response={201: ContestItemOut})
def add_item(request, contest_id: Id, payload: ItemIn):
    contest = selectors.access_contest(contest_id)
    return Status(201, setup.add_item(contest=contest, actor=request.user, **payload.dict()))


@router.get("/contests/rounds/{round_id}/enterprises", response=list[ParticipationOut])
def list_participations(request, round_id: Id):
    """The enterprises of the round the caller's scope reaches."""
    return list(selectors.participations_of(selectors.access_round(round_id)))


@router.post("/contests/rounds/{round_id}/enterprises", response={201: ParticipationOut})
def enter_enterprise(request, round_id: Id, payload: EnterIn):
    round_ = selectors.access_round(round_id)
    employer = orgs.access_employer(payload.employer)
    return Status(201, entries.enter_enterprise(round_=round_, actor=request.user, employer=employer))


@router.get("/contests/rounds/{round_id}/entries", response=list[EntryOut])
def list_entries(request, round_id: Id):
    return list(selectors.entries_of(selectors.access_round(round_id)))


@router.post("/contests/enterprises/{participation_id}/entries", response={201: EntryOut})
def enter_worker(request, participation_id: Id, payload: WorkerIn):
    participation = selectors.access_participation(participation_id)
    return Status(201, entries.enter_worker(participation=participation, actor=request.user, name=payload.name))


@router.post("/contests/rounds/{round_id}/judges", response={201: dict})
def assign_judges(request, round_id: Id, payload: JudgeIn):
    round_ = selectors.access_round(round_id)
    require(request.user, "contests.judge.assign", node=round_.contest.node)
    judge = get_user_model().objects.filter(pk=payload.judge, is_active=True).first()
    if judge is None:
        raise DomainError("no_account", _("No active account of that id."), field="judge")
    chosen = {e.pk: e for e in selectors.entries_of(round_).filter(pk__in=payload.entries)}
    if len(chosen) != len(set(payload.entries)):
        raise DomainError("unknown_entry", _("An entry is not of this round."), field="entries")
    for entry in chosen.values():
        judging.assign_judge(entry=entry, actor=request.user, judge=judge)
    return Status(201, {"assigned": len(chosen)})


@router.post("/contests/rounds/{round_id}/start", response=RoundOut)
def start_scoring(request, round_id: Id):
    return setup.start_scoring(round_=selectors.access_round(round_id), actor=request.user)


@router.get("/contests/rounds/{round_id}/results", response=list[ResultOut])
def round_results(request, round_id: Id):
    """The ranking from the submitted sheets (organizer only): ties share a rank."""
    round_ = selectors.access_round(round_id)
    if not selectors.may_run(request.user, round_.contest):
        raise NotPermitted("contests.results.read")
    rows = []
    for r in selectors.round_results(round_):
        entry = r.extra["entry"]
        award = getattr(entry, "award", None)
        rows.append({"entry_id": entry.pk, "number": entry.number, "name": entry.name,
                     "employer_name": entry.participation.employer.name, "rank": r.rank if r.complete else None,
                     "theory": r.theory, "practical": r.practical, "total": r.total if r.complete else None,
                     "award": award.tier if award else None})
    return rows


@router.post("/contests/rounds/{round_id}/award", response={201: list[AwardOut]})
def award_round(request, round_id: Id, payload: AwardIn):
    round_ = selectors.access_round(round_id)
    return Status(201, awards.award_round(round_=round_, actor=request.user, **payload.dict()))


@router.get("/contests/awards/{award_id}/certificate")
def award_certificate(request, award_id: Id):
    award = selectors.access_award(award_id)
    content = pdf.render(award)
    audit("contests.certificate.printed", actor=request.user, obj=award.entry.round.contest, data={"award": award.pk})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{award.serial}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _sheet(sheet):
    return {"entry_id": sheet.entry_id, "contest": sheet.entry.round.contest.name, "stage": sheet.entry.round.stage,
            "number": sheet.entry.number, "submitted": sheet.submitted_at is not None,
            "scores": {str(k): v for k, v in selectors.scores_of_sheet(sheet).items()}}


class _Sheets:
    """The judge's sheets for the paginator: counted and sliced in the database, only the page's
    sheets read with their scores."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [_sheet(s) for s in self.queryset[window]]


@router.get("/contests/judging/sheets", response=list[SheetOut])
@paginate(PageNumberPagination, page_size=50)
def my_sheets(request):
    """The caller's own judging sheets: entry numbers only, no names."""
    return _Sheets(selectors.sheets_of_judge(request.user))


@router.post("/contests/judging/{entry_id}", response=SheetOut)
def score_entry(request, entry_id: Id, payload: ScoresIn):
    """Save scores by item id (and lock the sheet with ``submit``). An entry not assigned to the
    caller, a submitted sheet and a score outside its item's range are refused, nothing saved."""
    try:
        selectors.sheet_for(entry_id=entry_id, judge=request.user)
    except DomainError:
        raise Http404 from None  # the same answer as for an entry that does not exist
    judging.save_scores(entry_id=entry_id, actor=request.user, values=payload.scores)
    if payload.submit:
        judging.submit_sheet(entry_id=entry_id, actor=request.user)
    return _sheet(selectors.sheet_for(entry_id=entry_id, judge=request.user))
