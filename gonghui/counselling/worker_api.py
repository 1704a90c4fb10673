"""The workers' API of counselling (/api/v1/w/counselling…): counsellors and their free times, book a
one-to-one session, my sessions, cancel, reschedule. The worker signed in by phone on the worker
pages; what they tell as a topic goes to the counsellor only (encrypted)."""

import datetime

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from gonghui.accounts.worker_auth import worker_session
from gonghui.core.schemas import Id, InputSchema, Pages

from . import selectors, services

router = Router(tags=["workers: counselling"], auth=worker_session)


class CounsellorOut(Schema):
    id: int
    name: str
    kind: str
    room: str
    address: str
    hours: dict
    slot_minutes: int

    @staticmethod
    def resolve_room(obj):
        return obj.position.name

    @staticmethod
    def resolve_address(obj):
        return obj.position.address


class MySessionOut(Schema):
    id: int
    counsellor: str
    room: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str

    @staticmethod
    def resolve_counsellor(obj):
        return obj.counsellor.name

    @staticmethod
    def resolve_room(obj):
        return obj.counsellor.position.name


class CounsellingBookIn(InputSchema):
    counsellor: Id
    starts_at: datetime.datetime
    topic: str = ""


class MoveIn(InputSchema):
    starts_at: datetime.datetime


@router.get("/counselling/counsellors", response=list[CounsellorOut])
@paginate(Pages, page_size=50)
def worker_counsellors(request):
    return selectors.open_counsellors()


@router.get("/counselling/counsellors/{counsellor_id}/taken", response=list[datetime.datetime])
def worker_counsellor_taken(request, counsellor_id: Id, day: datetime.date | None = None):
    """The start times already booked on a day (no one's name): the phone greys them out."""
    return selectors.taken_slots(selectors.open_counsellor(counsellor_id), day or timezone.localdate())


@router.post("/counselling/sessions", response={201: MySessionOut})
def worker_book_counselling(request, payload: CounsellingBookIn):
    counsellor = selectors.open_counsellor(payload.counsellor)
    session = services.book_session(worker=request.worker, counsellor=counsellor, starts_at=payload.starts_at,
                            topic=payload.topic)
    return Status(201, selectors.session_of_worker(request.worker, session.pk))


@router.get("/counselling/sessions", response=list[MySessionOut])
@paginate(Pages, page_size=50)
def worker_counselling_sessions(request):
    return selectors.sessions_of_worker(request.worker)


@router.post("/counselling/sessions/{session_id}/cancel", response=MySessionOut)
def worker_cancel_counselling(request, session_id: Id):
    session = selectors.session_of_worker(request.worker, session_id)
    services.cancel_session(worker=request.worker, session=session)
    return selectors.session_of_worker(request.worker, session_id)


@router.post("/counselling/sessions/{session_id}/move", response=MySessionOut)
def worker_move_counselling(request, session_id: Id, payload: MoveIn):
    session = selectors.session_of_worker(request.worker, session_id)
    services.reschedule_session(worker=request.worker, session=session, starts_at=payload.starts_at)
    return selectors.session_of_worker(request.worker, session_id)
