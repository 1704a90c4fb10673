"""API of positions (mounted under /api/v1/); same scoping as the console.

``/stations/nearby`` is public (the finder's search: open now, nearest first, with amenities), and
answers with a compact body for phones on a bad network. Everything else needs a token or the
console session and sees only the caller's subtrees.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Schema, Status, UploadedFile
from ninja.pagination import paginate

from gonghui.accounts.permissions import require
from gonghui.core import editing
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.limits import SEARCH_TERM, VERSION_TOKEN, limit_of
from gonghui.core.schemas import Count, Id, InputSchema, Pages, PatchSchema, Year
from gonghui.core.scoping import current_tree, scopes_disabled
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import Node

from . import amenities as vocabulary
from . import api_assessments, api_bookrooms, coordinates, limits, selectors
from .models import Position, PositionKind, PositionLevel, PositionMove, PositionStatus
from .routers import router
from .services import positions as services
from .services import visits

# Topic modules that declare their endpoints on the same router (imported for that).
TOPICS = (api_assessments, api_bookrooms)


class PositionOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    level: str
    status: str
    node_id: int
    node_name: str
    address: str
    lat: float
    lng: float
    hours: dict
    open_24h: bool
    closed_on_holidays: bool
    amenities: list[str]
    contact_name: str
    contact_phone: str
    area_sqm: int | None
    opened_on: datetime.date | None
    description: str
    version: str = Field("", description=editing.VERSION_HELP)

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_version(obj):
        return editing.version_of(obj)

    @staticmethod
    def resolve_node_name(obj):
        return obj.node.name


class PositionIn(InputSchema):
    node_id: Id
    name: str = Field(max_length=limit_of(Position, "name"))
    kind: PositionKind
    level: PositionLevel = PositionLevel.NONE
    status: PositionStatus = PositionStatus.OPEN
    address: str = Field(max_length=limit_of(Position, "address"))
    lat: float
    lng: float
    system: str = Field(default=coordinates.WGS84, pattern="^(wgs84|gcj02|bd09)$")
    hours: dict[str, list[list[str]]] | str = Field(default_factory=dict)
    open_24h: bool = False
    closed_on_holidays: bool = False
    amenities: list[str] = Field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""
    area_sqm: Count | None = None
    opened_on: datetime.date | None = None
    description: str = ""


class PositionPatch(PatchSchema):
    __nullable__ = frozenset({"area_sqm", "opened_on"})

    name: str | None = Field(default=None, max_length=limit_of(Position, "name"))
    kind: PositionKind | None = None
    level: PositionLevel | None = None
    status: PositionStatus | None = None
    address: str | None = Field(default=None, max_length=limit_of(Position, "address"))
    lat: float | None = None
    lng: float | None = None
    system: str | None = Field(default=None, pattern="^(wgs84|gcj02|bd09)$")
    hours: dict[str, list[list[str]]] | str | None = None
    open_24h: bool | None = None
    closed_on_holidays: bool | None = None
    amenities: list[str] | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    area_sqm: Count | None = None
    opened_on: datetime.date | None = None
    description: str | None = None
    version: str | None = Field(None, max_length=VERSION_TOKEN, description=editing.VERSION_HELP)


class PositionMoveIn(InputSchema):
    to_node_id: Id
    reason: str = Field(max_length=limit_of(PositionMove, "reason"))


class StationOut(Schema):
    """One finder result, compact: a phone on a bad network downloads ten of these."""

    id: int
    name: str
    kind: str
    address: str
    lat: float
    lng: float
    distance_m: int
    direction: str
    open: bool
    state: str
    amenities: list[str]


class NearbyOut(Schema):
    items: list[StationOut]
    at: datetime.datetime


class CardVisitIn(InputSchema):
    card_token: str = Field(max_length=limits.CARD_TEXT)


class PositionVisitOut(Schema):
    visit_id: int
    counted: bool
    kind: str
    member_name: str


class MonthOut(Schema):
    month: datetime.date
    visits: int
    member_visits: int


class PositionIndicatorsOut(Schema):
    node_id: int | None
    positions_by_kind: dict[str, int]
    homes_by_level: dict[str, int]
    visits_by_month: list[MonthOut]


class AreaOut(Schema):
    code: str
    label: str
    lat: float
    lng: float
    stations: int


class PhotoOut(Schema):
    id: int
    caption: str
    width: int
    height: int


def _hits_out(hits) -> list[dict]:
    return [{"id": h.pk, "name": h.position.name, "kind": h.position.kind, "address": h.position.address,
             "lat": float(h.position.lat), "lng": float(h.position.lng), "distance_m": round(h.distance_m),
             "direction": h.direction, "open": h.state.is_open, "state": h.state.label,
             "amenities": h.position.amenities} for h in hits]


def _point(lat: float, lng: float, system: str) -> tuple[float, float]:
    w_lat, w_lng = coordinates.clean_point(lat, lng, system if system in ("wgs84", "gcj02", "bd09") else "wgs84")
    return float(w_lat), float(w_lng)


def _here(lat, lng, area: str, system: str) -> tuple[float, float] | None:
    if lat is not None and lng is not None:
        return _point(lat, lng, system)
    if area:
        found = selectors.area_point(area)
        if found is None:
            raise DomainError("area_unknown", _("No township or community with stations has this code; take one "
                                                "from /stations/areas."), field="area")
        return found[0], found[1]
    return None


def _amenity_codes(amenity: str) -> list[str]:
    return vocabulary.clean_amenities(amenity) if amenity else []


@router.get("/stations/nearby", response=NearbyOut, auth=None)
@replica_reads
def public_nearby(request, lat: float | None = None, lng: float | None = None,
                  area: str = Query("", max_length=limit_of(Node, "code")), amenity: str = "",
                  kind: PositionKind | None = None, open_now: bool = True, limit: int = Query(10, ge=1, le=50),
                  system: str = "wgs84"):
    """Nearest stations in service from a point (or the centre of a township given by its code, when
    the phone's location is refused); ``amenity`` is a comma-separated list of codes."""
    with scopes_disabled():  # stations in service are public places
        here = _here(lat, lng, area, system)
        if here is None:
            return {"items": [], "at": timezone.localtime()}
        hits = selectors.nearest(lat=here[0], lng=here[1], amenities=_amenity_codes(amenity), kind=kind or "",
                                 open_now=open_now, limit=limit)
    return {"items": _hits_out(hits), "at": timezone.localtime()}


@router.get("/stations/areas", response=list[AreaOut], auth=None)
def public_areas(request, q: str = Query("", max_length=limits.AREA_SEARCH)):
    """Townships, communities, districts and parks with stations in service, each centred on its
    stations: what to offer when the phone's location is refused. ``q`` filters by name, pinyin or
    initials; pass a ``code`` as ``area`` to ``/stations/nearby``."""
    areas = selectors.finder_areas()
    return selectors.match_areas(areas, q, limit=50) if q.strip() else areas


@router.get("/stations/amenities", response=dict[str, str], auth=None)
def amenity_vocabulary(request):
    return {code: str(label) for code, label in vocabulary.AMENITIES}


@router.get("/positions", response=list[PositionOut])
@paginate(Pages, page_size=50)
def list_positions(request, node: Id | None = None, q: str = Query("", max_length=SEARCH_TERM), kind: str = "", status: str = "",
                   level: str = "", amenity: str = ""):
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.position_list(node=scope_node, query=q, kind=kind, status=status, level=level,
                                   amenities=_amenity_codes(amenity))


@router.get("/positions/nearest", response=NearbyOut)
@replica_reads
def scoped_nearest(request, lat: float | None = None, lng: float | None = None,
                   area: str = Query("", max_length=limit_of(Node, "code")), amenity: str = "",
                   kind: PositionKind | None = None, open_now: bool = False, limit: int = Query(10, ge=1, le=100),
                   system: str = "wgs84"):
    """The same search over the caller's own positions, in service, open now or not, from a point or
    from the centre of a place (``area``, a code from ``/stations/areas``)."""
    here = _here(lat, lng, area, system)
    if here is None:
        return {"items": [], "at": timezone.localtime()}
    hits = selectors.nearest(lat=here[0], lng=here[1], amenities=_amenity_codes(amenity), kind=kind or "",
                             open_now=open_now, limit=limit, within=current_tree())
    return {"items": _hits_out(hits), "at": timezone.localtime()}


@router.get("/positions/indicators", response=PositionIndicatorsOut)
def position_indicators(request, node: Id | None = None, year: Year | None = None):
    """Positions in service by type, worker's homes by demonstration level ("none": not rated) and
    visits per month in a subtree (the whole scope without ``node``), for statistics."""
    scope_node = orgs.access_node(node) if node is not None else None
    year = year or timezone.localdate().year
    return {"node_id": scope_node.pk if scope_node else None,
            "positions_by_kind": {kind: n for kind, _label, n in selectors.positions_by_kind(node=scope_node)},
            "homes_by_level": {level or "none": n for level, _label, n in selectors.homes_by_level(node=scope_node)},
            "visits_by_month": [{"month": m, "visits": n, "member_visits": k}
                                for m, n, k in selectors.visits_by_month(node=scope_node, year=year)]}


@router.get("/positions/{position_id}", response=PositionOut)
def get_position(request, position_id: Id):
    return selectors.access_position(position_id)


@router.post("/positions", response={201: PositionOut})
def create_position(request, payload: PositionIn):
    node = orgs.access_node(payload.node_id)
    data = payload.dict(exclude={"node_id", "system"})
    position = services.create_position(node=node, actor=request.user, system=payload.system, **data)
    return Status(201, selectors.access_position(position.pk))


@router.patch("/positions/{position_id}", response=PositionOut)
def update_position(request, position_id: Id, payload: PositionPatch):
    position = selectors.access_position(position_id)
    data = payload.dict(exclude_unset=True)
    system = data.pop("system", None) or coordinates.WGS84
    version = editing.expected_from(request, data.pop("version", None))
    services.update_position(position=position, actor=request.user, system=system, expected_version=version,
                             **data)
    return selectors.access_position(position_id)


@router.post("/positions/{position_id}/move", response=PositionOut)
def move_position(request, position_id: Id, payload: PositionMoveIn):
    """Hand the position to another union (admin or clerk over both); kept in its history and audited."""
    position = selectors.access_position(position_id)
    services.move_position(position=position, to_node=orgs.access_node(payload.to_node_id), actor=request.user,
                           reason=payload.reason)
    return selectors.access_position(position_id)


@router.post("/positions/{position_id}/photos", response={201: PhotoOut})
def upload_photo(request, position_id: Id, file: File[UploadedFile], caption: Form[str] = ""):
    position = selectors.access_position(position_id)
    photo = services.add_photo(position=position, actor=request.user, upload=file, caption=caption)
    return Status(201, photo)


@router.post("/positions/{position_id}/card-visits", response=PositionVisitOut)
def record_card_visit(request, position_id: Id, payload: CardVisitIn):
    """The station keeper scanned a member's card code: one visit (once an hour per person)."""
    position = selectors.access_position(position_id)
    require(request.user, "positions.visit.record", node=position.node)
    result = visits.visit_by_card(position=position, card_token=payload.card_token)
    return {"visit_id": result.visit.pk, "counted": result.counted, "kind": result.visit.kind,
            "member_name": result.member_name}

