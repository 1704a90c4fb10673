"""API of activities (mounted under /api/v1/); same scoping as the console.

Cadres' tokens browse, create, publish and close activities and read the bookings (masked) and
the waiting list. Workers sign up through the worker pages, which carry the idempotency key.
"""

import datetime

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from gonghui.accounts.permissions import require_role
from gonghui.core.audit import audit
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.schemas import InputSchema
from gonghui.orgs import selectors as orgs

from . import selectors
from .models import Audience, Kind, State, WaitlistMode
from .services import catalogue

router = Router(tags=["activities"])


class ActivityOut(Schema):
    id: int
    node_id: int
    node_name: str
    term_id: int | None
    kind: str
    title: str
    audience: str
    venue: str = Field(alias="venue_text")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    taken: int
    waiting: int
    signup_opens_at: datetime.datetime
    signup_closes_at: datetime.datetime
    waitlist_mode: str
    state: str

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name


class ActivityIn(InputSchema):
    node_id: int
    title: str = Field(max_length=80)
    kind: Kind = Kind.COURSE
    audience: Audience = Audience.MEMBERS
    venue: str = Field(max_length=120)
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    sessions: int = Field(1, ge=1, le=60)
    capacity: int = Field(ge=1, le=100_000)
    signup_opens_at: datetime.datetime
    signup_closes_at: datetime.datetime
    waitlist_mode: WaitlistMode = WaitlistMode.OFFER
    offer_hours: int = Field(24, ge=1, le=168)
    term_id: int | None = None
    description: str = Field("", max_length=2000)


class BookingOut(Schema):
    id: int
    name_masked: str
    phone_masked: str
    state: str
    booked_at: datetime.datetime | None
    created_at: datetime.datetime
    offer_expires_at: datetime.datetime | None

    @staticmethod
    def resolve_name_masked(obj):
        return mask_name(obj.name)

    @staticmethod
    def resolve_phone_masked(obj):
        return mask_phone(obj.worker.phone)


class Empty(InputSchema):
    pass


@router.get("/activities", response=list[ActivityOut])
@paginate(PageNumberPagination, page_size=50)
def list_activities(request, node: int | None = None, state: State | None = None, kind: Kind | None = None,
                    q: str = ""):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.activity_list(node=scope_node, state=state or "", kind=kind or "", query=q[:40])


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: int):
    return selectors.access_activity(activity_id)


@router.post("/activities", response={201: ActivityOut})
def create_activity(request, payload: ActivityIn):
    node = orgs.access_node(payload.node_id)
    term = selectors.access_term(payload.term_id) if payload.term_id is not None else None
    data = payload.dict()
    for field in ("node_id", "term_id", "sessions"):
        data.pop(field)
    data["venue_text"] = data.pop("venue")
    activity = catalogue.create_activity(node=node, actor=request.user, sessions=payload.sessions, term=term, **data)
    return Status(201, selectors.access_activity(activity.pk))


@router.post("/activities/{activity_id}/publish", response=ActivityOut)
def publish_activity(request, activity_id: int, payload: Empty):
    activity = catalogue.publish_activity(activity=selectors.access_activity(activity_id), actor=request.user)
    return selectors.access_activity(activity.pk)


@router.post("/activities/{activity_id}/close", response=ActivityOut)
def close_activity(request, activity_id: int, payload: Empty):
    activity = catalogue.close_activity(activity=selectors.access_activity(activity_id), actor=request.user)
    return selectors.access_activity(activity.pk)


@router.get("/activities/{activity_id}/bookings", response=list[BookingOut])
@paginate(PageNumberPagination, page_size=100)
def list_activity_bookings(request, activity_id: int, waiting: bool = False):
    """Seats (booked or offered) in order of sign-up; with ``waiting=true`` the waiting list in order."""
    activity = selectors.access_activity(activity_id)
    require_role(request.user, activity.node, catalogue.STAFF, "activities.booking.list")
    audit("activities.booking.listed", actor=request.user, obj=activity,
          data={"waiting": waiting, "channel": "api", "at": timezone.now().isoformat()})
    return selectors.waitlist(activity) if waiting else selectors.bookings(activity, state="seats")
