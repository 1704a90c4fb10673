"""The cadres' API of counselling (/api/v1/counselling…): counts, and the counsellor's hotline calls.
No endpoint returns who booked or a topic. A hotline call is recorded by the counsellor who took it
with minimal data (time, minutes, a category, referred or not; no name, no phone); the calls
endpoints answer only that counsellor's account, and only the one call's page carries its note."""

import datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from gonghui.accounts.permissions import require
from gonghui.core.schemas import Id, InputSchema, Pages
from gonghui.orgs import selectors as orgs

from . import selectors, services

router = Router(tags=["counselling"])


class CountsOut(Schema):
    start: datetime.date
    end: datetime.date
    sessions: int
    booked: int
    people: int
    hours: float
    calls: int
    call_minutes: int
    lectures: int
    lecture_people: int


@router.get("/counselling/counts", response=CountsOut)
def counselling_counts(request, node: Id | None = None, start: datetime.date | None = None,
                       end: datetime.date | None = None):
    """Sessions held, sessions booked ahead, people and hours in a union's subtree (the whole scope
    without ``node``; this year by default)."""
    scope_node = orgs.access_node(node) if node is not None else None
    if scope_node is not None:
        require(request.user, "counselling.stats.view", node=scope_node)
    first, last = selectors.this_year()
    start, end = start or first, end or last
    return {"start": start, "end": end, **selectors.counts(start=start, end=end, node=scope_node)}


class CallIn(InputSchema):
    counsellor: Id
    called_at: datetime.datetime
    minutes: int
    category: str
    referred: bool = False
    note: str = ""


class CallOut(Schema):
    id: int
    counsellor: str
    called_at: datetime.datetime
    minutes: int
    category: str
    referred: bool

    @staticmethod
    def resolve_counsellor(obj):
        return obj.counsellor.name


class CallNoteOut(CallOut):
    note: str


@router.post("/counselling/calls", response={201: CallOut})
def record_hotline_call(request, payload: CallIn):
    """Record a hotline call the signed-in counsellor took (``counsellor``: one of their own counsellor
    rows; any other answers 404). No name or phone of the caller is taken."""
    call = services.record_call(actor=request.user, counsellor=selectors.own_counsellor(request.user,
                                                                                        payload.counsellor),
                                called_at=payload.called_at, minutes=payload.minutes, category=payload.category,
                                referred=payload.referred, note=payload.note)
    return Status(201, call)


@router.get("/counselling/calls", response=list[CallOut])
@paginate(Pages, page_size=50)
def hotline_calls(request):
    """The calls the signed-in counsellor took, newest first (no notes)."""
    return selectors.calls_of_counsellor(request.user)


@router.get("/counselling/calls/{call_id}", response=CallNoteOut)
def hotline_call(request, call_id: Id):
    """One of the counsellor's own calls with its note; any other account answers 404."""
    call = selectors.call_of_counsellor(request.user, call_id)
    call.note = services.read_call_note(call=call, actor=request.user)
    return call
