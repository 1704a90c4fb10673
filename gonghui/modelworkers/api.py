"""API of the model-worker register under /api/v1/modelworkers…, scoped like the console."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from gonghui.aid import selectors as aid
from gonghui.core.schemas import Id, InputSchema, Year, named_choices
from gonghui.members import selectors as members
from gonghui.orgs import selectors as orgs

from . import selectors, services
from .models import CareKind, HonourKind, HonourLevel, ModelWorkerStatus

router = Router(tags=["modelworkers"])


class HonourOut(Schema):
    level: str
    kind: str
    title: str
    year: int


class PersonOut(Schema):
    id: int
    node_id: int
    name: str
    level: str
    status: str
    employer_name: str
    occupation: str
    member_linked: bool

    @staticmethod
    def resolve_member_linked(obj):
        return obj.member_id is not None


class PersonDetailOut(Schema):
    id: int
    node_id: int
    name: str
    level: str
    status: str
    employer_name: str
    occupation: str
    member_linked: bool
    honours: list[HonourOut]
    care: list["CareOut"]
    allowances: list["AllowanceOut"]


class AllowanceOut(Schema):
    """A special allowance with its aid application: status, amounts (yuan, as text) and net paid."""

    id: int
    kind: str
    application_id: int
    programme: str
    status: str
    amount_requested: str
    amount_approved: str | None
    paid: str

    @staticmethod
    def resolve_programme(obj):
        return obj.application.programme.name

    @staticmethod
    def resolve_status(obj):
        return obj.application.status

    @staticmethod
    def resolve_amount_requested(obj):
        return str(obj.application.amount_requested)

    @staticmethod
    def resolve_amount_approved(obj):
        amount = obj.application.amount_approved
        return None if amount is None else str(amount)

    @staticmethod
    def resolve_paid(obj):
        return f"{Decimal(obj.paid or 0):.2f}"  # a sum comes back as 1200.5 on SQLite: always two decimals


class CareOut(Schema):
    id: int
    kind: str
    on: datetime.date
    trip_id: int | None
    aid_file: int | None
    amount: str | None
    notes: str

    @staticmethod
    def resolve_amount(obj):
        return None if obj.amount is None else str(obj.amount)


PersonDetailOut.model_rebuild()


class PersonIn(InputSchema):
    node: Id
    name: str
    level: named_choices("HonourLevel", HonourLevel)
    kind: named_choices("HonourKind", HonourKind) = HonourKind.MODEL_WORKER
    title: str
    year: Year
    employer_name: str = ""
    occupation: str = ""
    status: named_choices("ModelWorkerStatus", ModelWorkerStatus) = ModelWorkerStatus.ACTIVE
    member: Id | None = None


class CareIn(InputSchema):
    kind: named_choices("CareKindIn", CareKind)
    on: datetime.date
    notes: str = ""
    hardship_file: Id | None = None
    amount: str | int | None = None


class LinkIn(InputSchema):
    member: Id


class ModelWorkerSummaryOut(Schema):
    year: int
    total: int
    by_level: dict[str, int]
    care: dict[str, int]


def _detail(person):
    return {**{f: getattr(person, f) for f in ("id", "node_id", "name", "level", "status", "employer_name",
                                               "occupation")},
            "member_linked": person.member_id is not None, "honours": selectors.honours_of(person),
            "care": selectors.care_of(person), "allowances": selectors.allowances_of(person)}


@router.get("/modelworkers", response=list[PersonOut])
@paginate(PageNumberPagination, page_size=50)
def list_people(request, level: named_choices("HonourLevelQuery", HonourLevel) | None = None):
    return selectors.person_list(year=timezone.localdate().year, level=level or "")


@router.get("/modelworkers/summary", response=ModelWorkerSummaryOut)
def modelworkers_summary(request, node: Id | None = None, year: Year | None = None):
    """Counts only, for a union's subtree (the whole scope without ``node``): people by level
    (living), and people given each kind of care in the year."""
    year = year or timezone.localdate().year
    scope_node = orgs.access_node(node) if node is not None else None
    return {"year": year, **selectors.year_summary(year=year, node=scope_node)}


@router.post("/modelworkers", response={201: PersonDetailOut})
def register_model_worker(request, payload: PersonIn):
    data = payload.dict()
    node = orgs.access_node(data.pop("node"))
    member = members.access_member(data.pop("member")) if data.get("member") else None
    data.pop("member", None)
    person = services.register_person(node=node, actor=request.user, member=member, **data)
    return Status(201, _detail(person))


@router.get("/modelworkers/{person_id}", response=PersonDetailOut)
def get_person(request, person_id: Id):
    return _detail(selectors.access_person(person_id))


@router.post("/modelworkers/{person_id}/member", response=PersonDetailOut)
def link_member(request, person_id: Id, payload: LinkIn):
    person = selectors.access_person(person_id)
    services.link_member(person=person, actor=request.user, member=members.access_member(payload.member))
    return _detail(selectors.access_person(person_id))


@router.post("/modelworkers/{person_id}/care", response={201: CareOut})
def record_care(request, person_id: Id, payload: CareIn):
    """A visit or check-up; hardship help names the assistance file it was given under."""
    person = selectors.access_person(person_id)
    if payload.kind == CareKind.HARDSHIP:
        file = aid.access_hardship(payload.hardship_file) if payload.hardship_file else None
        if file is None:
            raise ValidationError({"hardship_file": [_("Name the hardship file the help was given under.")]})
        care = services.record_hardship_help(person=person, actor=request.user, hardship_file=file,
                                             amount=payload.amount, on=payload.on, notes=payload.notes)
    else:
        care = services.record_care(person=person, actor=request.user, kind=payload.kind, on=payload.on,
                                    notes=payload.notes)
    return Status(201, care)
