"""Reads of positions: lists, the nearest-station search, visit counts. Scoped queries run inside the
caller's scope (django-scopes); the public finder says explicitly that it reads every open station."""

import datetime
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.http import Http404
from django.utils import timezone

from gonghui.core.dbrouting import read_alias
from gonghui.core.scoping import Subtree, scopes_disabled
from gonghui.orgs.models import Node, NodeKind

from . import amenities as vocabulary
from . import coordinates, hooks, hours
from .isbn import normalize_isbn
from .models import (
    CATALOGUE_KINDS,
    FOUR_HAVES,
    Assessment,
    Book,
    BookCopy,
    Evidence,
    Loan,
    Position,
    PositionKind,
    PositionLevel,
    PositionPhoto,
    PositionStatus,
    Visit,
)

FINDER_MAX_RADIUS_M = 100_000
_START_RADIUS_M = 2_000
_M_PER_DEG_LAT = 111_320.0


def position_list(*, node=None, query: str = "", kind: str = "", status: str = "", level: str = "",
                  amenities: list[str] | None = None, within=None) -> QuerySet[Position]:
    qs = Position.objects.select_related("node")
    if within is not None:
        qs = qs.filter(node__path__within=within)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    if amenities:
        qs = _with_amenities(qs, amenities)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(address__contains=query) | Q(node__name__contains=query))
    return qs.order_by("node__path", "name", "id")


def _with_amenities(qs, codes):
    mask = vocabulary.mask_of(codes)
    if not mask:
        return qs
    return qs.annotate(_has=F("amenity_mask").bitand(mask)).filter(_has=mask)


def access_position(pk) -> Position:
    """The position if inside the scope; the same 404 for "missing" and "not yours"."""
    try:
        return Position.objects.select_related("node").get(pk=pk)
    except (Position.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_photo(pk) -> PositionPhoto:
    try:
        return PositionPhoto.objects.select_related("position__node").get(pk=pk)
    except (PositionPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def public_position(pk) -> Position:
    """A position in service, for the public pages (no scope: stations are public places)."""
    with scopes_disabled():
        try:
            return (Position.objects.select_related("node").prefetch_related("photos")
                    .get(pk=pk, status=PositionStatus.OPEN))
        except (Position.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def public_photo(pk) -> PositionPhoto:
    with scopes_disabled():
        try:
            return PositionPhoto.objects.select_related("position").get(pk=pk, position__status=PositionStatus.OPEN)
        except (PositionPhoto.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


# --- the finder --------------------------------------------------------------------------------------

@dataclass
class Hit:
    pk: int
    distance_m: float
    bearing: float
    state: hours.OpenState
    position: Position | None = field(default=None)

    @property
    def direction(self) -> str:
        return coordinates.compass(self.bearing)

    @property
    def distance(self) -> str:
        return coordinates.format_distance(self.distance_m)


_FINDER_COLUMNS = ("id", "lat", "lng", "hours", "open_24h", "closed_on_holidays", "status")
_HIT_FIELDS = ("id", "name", "kind", "level", "address", "lat", "lng", "amenities", "contact_phone")


_MAX_CELLS = 64  # beyond this many grid squares, the plain latitude range is cheaper


def _box_sql(*, kind: str, mask: int, within: Subtree | None, cells: int = 0, ring: bool = False) -> tuple[str, list]:
    """One statement for the box query, built once per search (the ORM's compile step costs more
    than the index scan itself at this size). The subtree, when given, is a join on the node path:
    this is the scoped manager's rule written out, since raw SQL bypasses the manager."""
    table, node_table = Position._meta.db_table, Node._meta.db_table
    # Only columns of the (geo_cell, lat, lng, amenity_mask, status) index: an index-only scan.
    sql = [f"SELECT p.id, p.lat, p.lng FROM {table} p"]  # noqa: S608 - model table names only
    where, params = ["p.status = %s", "p.lat BETWEEN %s AND %s", "p.lng BETWEEN %s AND %s"], [PositionStatus.OPEN]
    if cells:
        where.insert(1, "p.geo_cell IN (" + ", ".join(["%s"] * cells) + ")")
    if within is not None:
        if not within.paths:
            where.append("1 = 0")
        else:
            sql.append(f"JOIN {node_table} n ON n.id = p.node_id")
            where.append("(" + " OR ".join(["n.path LIKE %s"] * len(within.paths)) + ")")
    if kind:
        where.append("p.kind = %s")
    if mask:
        where.append("(p.amenity_mask & %s) = %s")
    if ring:  # the inner box was read by the previous round
        where.append("NOT (p.lat BETWEEN %s AND %s AND p.lng BETWEEN %s AND %s)")
    return " ".join(sql) + " WHERE " + " AND ".join(where), params


def nearest(*, lat: float, lng: float, amenities: list[str] | None = None, kind: str = "", open_now: bool = True,
            limit: int = 10, at: datetime.datetime | None = None, within: Subtree | None = None,
            max_radius_m: float = FINDER_MAX_RADIUS_M, load: bool = True) -> list[Hit]:
    """The ``limit`` nearest positions in service from (lat, lng), WGS-84, nearest first.

    A box around the point (an index range on latitude and longitude) is doubled until its
    inscribed circle holds ``limit`` matches, so the answer is exact, not approximate, and the work
    grows with the local density, not with the number of stations. Opening hours are evaluated
    lazily, nearest first, only until ``limit`` open stations are found. ``within`` restricts the
    search to a cadre's subtrees; the public finder passes None and reads every open station."""
    at = at or timezone.now()
    mask = vocabulary.mask_of(amenities or [])
    extra = [f"{path}%" for path in within.paths] if within is not None else []
    extra += [kind] if kind else []
    extra += [mask, mask] if mask else []
    cos_lat = max(0.05, math.cos(math.radians(lat)))
    radius = _START_RADIUS_M
    rows: dict[int, tuple[float, float, float]] = {}
    states: dict[int, hours.OpenState] = {}
    inner: tuple | None = None
    with connections[read_alias()].cursor() as cursor:  # a replica when the view reads from one
        while True:
            d_lat = radius / _M_PER_DEG_LAT
            d_lng = radius / (_M_PER_DEG_LAT * cos_lat)
            box = (lat - d_lat, lat + d_lat, lng - d_lng, lng + d_lng)
            cells = coordinates.cells_covering(*box)
            # Decimals, as the columns are: a float parameter makes PostgreSQL cast the column and
            # give up the index.
            bounds = tuple(coordinates.quantize(v) for v in box)
            cells = cells if len(cells) <= _MAX_CELLS else []
            sql, fixed = _box_sql(kind=kind, mask=mask, within=within, cells=len(cells), ring=inner is not None)
            cursor.execute(sql, [*fixed, *cells, *bounds, *extra, *(inner or ())])
            inner = bounds
            for pk, p_lat, p_lng in cursor.fetchall():
                p_lat, p_lng = float(p_lat), float(p_lng)
                rows[pk] = (coordinates.haversine_m(lat, lng, p_lat, p_lng), p_lat, p_lng)
            candidates = sorted((d, pk) for pk, (d, _a, _b) in rows.items() if d <= radius)
            hits = []
            for start in range(0, len(candidates), max(2 * limit, 20)):
                chunk = candidates[start:start + max(2 * limit, 20)]
                _load_states(cursor, [pk for _d, pk in chunk if pk not in states], states, at)
                for distance, pk in chunk:
                    if open_now and not states[pk].is_open:
                        continue
                    hits.append(Hit(pk, distance, coordinates.bearing_deg(lat, lng, *rows[pk][1:]), states[pk]))
                    if len(hits) == limit:
                        break
                if len(hits) == limit:
                    break
            if len(hits) >= limit or radius >= max_radius_m:
                break
            radius = min(radius * 2, max_radius_m)
    if load and hits:
        with scopes_disabled():
            objects = (Position.objects.order_by().only(*_HIT_FIELDS)
                       .in_bulk([h.pk for h in hits]))
        for hit in hits:
            hit.position = objects[hit.pk]
    return hits


def _load_states(cursor, pks: list[int], states: dict, at) -> None:
    """Opening state of a batch of candidates (their hours are read only when they are in reach)."""
    if not pks:
        return
    placeholders = ", ".join(["%s"] * len(pks))
    cursor.execute(f"SELECT id, hours, open_24h, closed_on_holidays FROM {Position._meta.db_table} "  # noqa: S608
                   f"WHERE id IN ({placeholders})", pks)
    for pk, week, all_day, holidays in cursor.fetchall():
        states[pk] = hours.open_state(week=json.loads(week) if isinstance(week, str) else week,
                                      open_24h=bool(all_day), closed_on_holidays=bool(holidays), at=at)


def nearest_brute_force(*, lat: float, lng: float, amenities: list[str] | None = None, limit: int = 10,
                        at: datetime.datetime | None = None) -> list[tuple[float, int]]:
    """Every open station's distance, sorted: the baseline the benchmark and tests compare with."""
    at = at or timezone.now()
    qs = Position.objects.filter(status=PositionStatus.OPEN)
    if amenities:
        qs = _with_amenities(qs, amenities)
    out = []
    for pk, p_lat, p_lng, week, all_day, holidays, _status in qs.values_list(*_FINDER_COLUMNS):
        if hours.open_state(week=week, open_24h=all_day, closed_on_holidays=holidays, at=at).is_open:
            out.append((coordinates.haversine_m(lat, lng, float(p_lat), float(p_lng)), pk))
    out.sort()
    return out[:limit]


# Places a worker may pick instead of the phone's location: townships and streets, village and
# community federations, business districts and industrial parks.
AREA_KINDS = (NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION, NodeKind.VILLAGE_FEDERATION,
              NodeKind.DISTRICT_JOINT, NodeKind.PARK_JOINT)
_AREA_SUFFIXES = ("工会联合会", "联合工会", "总工会", "工会")
_MAX_AREAS = 2000


@dataclass(frozen=True)
class Area:
    """A place to search from: a union's area, centred on its stations in service (their mean point)."""

    code: str
    label: str
    lat: float
    lng: float
    stations: int
    path: str = field(repr=False)
    name: str = field(repr=False)
    pinyin: str = field(repr=False, default="")
    initials: str = field(repr=False, default="")


def _place_name(name: str, short_name: str) -> str:
    if short_name:
        return short_name
    for suffix in _AREA_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _centres(widths) -> dict[str, tuple[int, float, float]]:
    """Stations in service and their mean point, per path prefix of each width: one GROUP BY a width."""
    out = {}
    for width in sorted(widths):
        rows = (Position.objects.filter(status=PositionStatus.OPEN)
                .annotate(prefix=Substr("node__path", 1, width)).values("prefix")
                .annotate(n=Count("id"), mean_lat=Avg("lat"), mean_lng=Avg("lng")).order_by()
                .values_list("prefix", "n", "mean_lat", "mean_lng"))
        out.update({prefix: (n, float(lat), float(lng)) for prefix, n, lat, lng in rows if len(prefix) == width})
    return out


def finder_areas() -> list[Area]:
    """Townships, communities, districts and parks that host stations in service, each centred on
    them, for a worker whose phone's location is refused (public: stations are public places). A
    community is labelled with its township ("新桥镇 · 园区社区"). Costs one query for the places
    and one per tree depth for the centres."""
    with scopes_disabled():
        nodes = list(Node.objects.filter(kind__in=AREA_KINDS, status="active").order_by("path")
                     .values_list("path", "code", "name", "short_name", "pinyin", "pinyin_initials")[:_MAX_AREAS])
        centres = _centres({len(row[0]) for row in nodes})
    labels, areas = {}, []
    for path, code, name, short_name, pinyin, initials in nodes:
        place = _place_name(name, short_name)
        parent = labels.get(path[: -Node.steplen])
        labels[path] = place
        if path not in centres:
            continue
        n, lat, lng = centres[path]
        label = f"{parent} · {place}" if parent and not place.startswith(parent) else place
        areas.append(Area(code=code, label=label, lat=lat, lng=lng, stations=n, path=path, name=name,
                          pinyin=pinyin or "", initials=initials or ""))
    return areas


def match_areas(areas: list[Area], text: str, *, limit: int = 12) -> list[Area]:
    """Places whose name holds the typed text (Chinese, or pinyin / initials in Latin letters: "hkz",
    "hekou"), the closest matches first: exact name, then start of the name, then anywhere."""
    text = unicodedata.normalize("NFKC", text or "").strip().lower().replace(" ", "")
    if not text:
        return []
    scored = []
    for area in areas:
        names = (area.label.lower(), area.name.lower(), area.label.split(" · ")[-1].lower())
        if text in names:
            score = 0
        elif any(n.startswith(text) for n in names) or (text.isascii() and text.isalpha() and (
                area.pinyin.startswith(text) or area.initials.startswith(text))):
            score = 1
        elif any(text in n for n in names):
            score = 2
        else:
            continue
        scored.append((score, len(area.path), area.path, area))
    return [row[-1] for row in sorted(scored, key=lambda row: row[:3])[:limit]]


def area_point(code: str) -> tuple[float, float, Area] | None:
    """The centre of the stations in service of the place with this union code, or None (not a
    place, or no station there)."""
    with scopes_disabled():
        node = Node.objects.filter(code=code or "", kind__in=AREA_KINDS, status="active").first()  # never cut: a longer code is none
        if node is None:
            return None
        found = (Position.objects.filter(status=PositionStatus.OPEN, node__path__startswith=node.path)
                 .aggregate(n=Count("id"), mean_lat=Avg("lat"), mean_lng=Avg("lng")))
    if not found["n"]:
        return None
    parent = Node.objects.filter(path=node.path[: -Node.steplen], kind__in=AREA_KINDS).first()
    place = _place_name(node.name, node.short_name)
    label = place
    if parent is not None and not place.startswith(_place_name(parent.name, parent.short_name)):
        label = f"{_place_name(parent.name, parent.short_name)} · {place}"
    area = Area(code=node.code, label=label, lat=float(found["mean_lat"]), lng=float(found["mean_lng"]),
                stations=found["n"], path=node.path, name=node.name)
    return area.lat, area.lng, area


# --- visits ------------------------------------------------------------------------------------------

def _month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    nxt = datetime.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime.datetime(nxt.year, nxt.month, 1))


def visits_this_month(position: Position) -> int:
    start, end = _month_range(timezone.localdate())
    return position.visits.filter(at__gte=start, at__lt=end).count()


def visits_by_position(*, node=None, month: datetime.date | None = None) -> QuerySet[Position]:
    """Positions of the subtree with their visits (of the month when given), most visited first."""
    condition = Q()
    if month:
        start, end = _month_range(month)
        condition = Q(visits__at__gte=start, visits__at__lt=end)
    qs = Position.objects.select_related("node")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return (qs.annotate(visit_count=Count("visits", filter=condition),
                        member_visits=Count("visits", filter=condition & Q(visits__kind="member")))
            .order_by("-visit_count", "name", "id"))


def visits_by_month(*, node=None, year: int) -> list[tuple[datetime.date, int, int]]:
    """(month, visits, of which by members) for each month of ``year`` in the subtree."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    qs = Visit.objects.filter(at__gte=start, at__lt=end)
    if node is not None:
        qs = qs.filter(position__node__path__startswith=node.path)
    rows = (qs.annotate(month=TruncMonth("at", tzinfo=timezone.get_current_timezone())).values("month")
            .annotate(n=Count("id"), m=Count("id", filter=Q(kind="member"))).order_by("month"))
    found = {(r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"]): (r["n"], r["m"])
             for r in rows}
    return [(datetime.date(year, m, 1), *found.get(datetime.date(year, m, 1), (0, 0))) for m in range(1, 13)]


def visits_by_child(*, node, month: datetime.date | None = None) -> list[tuple[Node, int, bool]]:
    """Visits rolled up to the node itself and to each child with visits (one GROUP BY on the path
    prefix), most visited first: (node, visits, is the node itself)."""
    width = len(node.path) + node.steplen
    qs = Visit.objects.filter(position__node__path__startswith=node.path)
    if month:
        start, end = _month_range(month)
        qs = qs.filter(at__gte=start, at__lt=end)
    counts = dict(qs.annotate(prefix=Substr("position__node__path", 1, width)).values("prefix")
                  .annotate(n=Count("id")).values_list("prefix", "n"))
    children = Node.scoped.filter(path__in=[p for p in counts if p != node.path]).order_by("path")
    rows = [(child, counts[child.path], False) for child in children]
    if counts.get(node.path):
        rows.append((node, counts[node.path], True))
    return sorted(rows, key=lambda row: -row[1])


def positions_by_kind(*, node=None) -> list[tuple[str, str, int]]:
    """(kind, label, count) of positions in service in the subtree: an indicator for reports."""
    qs = Position.objects.filter(status=PositionStatus.OPEN)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    counts = dict(qs.values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return [(value, str(label), counts.get(value, 0)) for value, label in PositionKind.choices]


def moves_of(position: Position) -> QuerySet:
    """The position's changes of host union, newest first."""
    from .models import PositionMove

    return (PositionMove.objects.filter(position=position).select_related("from_node", "to_node", "moved_by")
            .order_by("-moved_at", "-id"))


MOVE_TARGETS = 30  # unions the move page lists for a search; it says when more match


def move_targets(*, position: Position, query: str, actor) -> tuple[list[Node], bool]:
    """Active unions in the cadre's scope matching ``query`` (name, short name, pinyin) to which the
    cadre may hand the position, the current host left out: the first ``MOVE_TARGETS``, and whether
    more match (the page asks for more of the name rather than leaving them out silently)."""
    from gonghui.accounts.permissions import allowed
    from gonghui.orgs.selectors import search_nodes

    targets = []
    found = search_nodes(query, limit=None).filter(status="active").exclude(pk=position.node_id)
    for node in found.iterator(chunk_size=MOVE_TARGETS * 2):
        if allowed(actor, "positions.position.move", node=node):
            if len(targets) == MOVE_TARGETS:
                return targets, True
            targets.append(node)
    return targets, False


def homes_by_level(*, node=None) -> list[tuple[str, str, int]]:
    """(level, label, count) of worker's homes (and small ones) in service in the subtree, "not
    rated" first: an indicator for reports."""
    qs = Position.objects.filter(status=PositionStatus.OPEN,
                                 kind__in=[PositionKind.WORKERS_HOME, PositionKind.SMALL_WORKERS_HOME])
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    counts = dict(qs.values("level").annotate(n=Count("id")).values_list("level", "n"))
    return [(value, str(label), counts.get(value, 0)) for value, label in PositionLevel.choices]


# --- assessments -------------------------------------------------------------------------------------

def assessments_of(position: Position) -> QuerySet[Assessment]:
    return position.assessments.prefetch_related("evidence").order_by("-assessed_on", "-id")


def item_rows(assessment: Assessment) -> list[tuple[str, str, bool, str]]:
    """(code, label, met, notes) of the four items, in order, for display."""
    return [(code, str(label), bool(assessment.items.get(code)), assessment.notes.get(code, ""))
            for code, label in FOUR_HAVES]


def assessment_list(*, node=None, result: str = "", year: int | None = None) -> QuerySet[Assessment]:
    """Assessments of the positions of a subtree (the whole scope without ``node``), newest first,
    with their evidence: two queries."""
    qs = Assessment.objects.select_related("position__node").prefetch_related("evidence")
    if node is not None:
        qs = qs.filter(position__node__path__startswith=node.path)
    if result:
        qs = qs.filter(result=result)
    if year:
        qs = qs.filter(assessed_on__year=year)
    return qs.order_by("-assessed_on", "-id")


def access_assessment(pk) -> Assessment:
    try:
        return Assessment.objects.select_related("position__node").get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_evidence(pk) -> Evidence:
    try:
        return Evidence.objects.select_related("assessment__position__node").get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- bookrooms ---------------------------------------------------------------------------------------

def books_of(position: Position):
    """The catalogue with copies and their open loans, in three queries whatever its size."""
    from django.db.models import Prefetch

    open_loans = Loan.objects.filter(returned_on__isnull=True).select_related("member")
    return (Book.objects.filter(position=position)
            .prefetch_related(Prefetch("copies", queryset=BookCopy.objects.prefetch_related(
                Prefetch("loans", queryset=open_loans, to_attr="open_loans"))))
            .order_by("title", "id"))


def catalogue(position: Position, *, query: str = "") -> QuerySet[Book]:
    """Titles of a bookroom matching a title, author or ISBN (ISBN-10 or 13, with or without dashes),
    each with ``copies_total`` (not withdrawn), ``copies_out`` (on loan) and ``copies_available``: one query."""
    qs = Book.objects.filter(position=position).annotate(
        copies_total=Count("copies", filter=Q(copies__withdrawn=False), distinct=True),
        copies_out=Count("copies__loans", filter=Q(copies__withdrawn=False, copies__loans__returned_on__isnull=True),
                         distinct=True)).annotate(copies_available=F("copies_total") - F("copies_out"))
    query = (query or "").strip()  # never cut: the pages and the API refuse a term past BOOK_SEARCH
    if query:
        condition = Q(title__icontains=query) | Q(author__icontains=query)
        compact = re.sub(r"[\s\-－]", "", unicodedata.normalize("NFKC", query)).upper().removeprefix("ISBN")
        if len(compact) >= 4 and re.fullmatch(r"\d+X?", compact):  # (part of) an ISBN
            try:
                condition |= Q(isbn=normalize_isbn(compact))
            except ValidationError:
                condition |= Q(isbn__contains=compact)
        qs = qs.filter(condition)
    return qs.order_by("title", "id")


def public_bookroom(pk) -> Position:
    """A position in service that keeps a catalogue, for the worker pages (no scope)."""
    with scopes_disabled():
        try:
            return Position.objects.select_related("node").get(pk=pk, status=PositionStatus.OPEN,
                                                               kind__in=CATALOGUE_KINDS)
        except (Position.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def keeps_books(position: Position) -> bool:
    """Whether the position's catalogue holds a title (for the link on its public page)."""
    with scopes_disabled():
        return Book.objects.filter(position=position).exists()


PUBLIC_CATALOGUE_ROWS = 200  # titles a worker's phone lists at once; the page says how many there are


def public_catalogue(position: Position, *, query: str = "") -> list[Book]:
    """The first ``PUBLIC_CATALOGUE_ROWS`` titles matching ``query``; ``public_catalogue_size`` says
    how many match in all, so the page can say what it does not list."""
    with scopes_disabled():
        return list(catalogue(position, query=query)[:PUBLIC_CATALOGUE_ROWS])


def public_catalogue_size(position: Position, *, query: str = "") -> int:
    with scopes_disabled():
        return catalogue(position, query=query).count()


def access_book(pk) -> Book:
    try:
        return Book.objects.select_related("position__node").get(pk=pk)
    except (Book.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def copies_of(book: Book) -> QuerySet[BookCopy]:
    """Copies of a title with their open loan (``open_loans``, at most one): two queries."""
    from django.db.models import Prefetch

    open_loans = Loan.objects.filter(returned_on__isnull=True).select_related("member")
    return book.copies.prefetch_related(Prefetch("loans", queryset=open_loans, to_attr="open_loans")).order_by(
        "barcode", "id")


def access_copy(pk):
    try:
        return BookCopy.objects.select_related("book__position__node").get(pk=pk)
    except (BookCopy.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overdue_loans(*, node=None, today: datetime.date | None = None):
    qs = Loan.objects.filter(returned_on__isnull=True, due_on__lt=today or timezone.localdate())
    if node is not None:
        qs = qs.filter(copy__book__position__node__path__startswith=node.path)
    return qs.select_related("copy__book__position", "member").order_by("due_on", "id")


def venue_activities(position: Position, *, public: bool = False, limit: int = 20) -> list:
    """Activities held at the position (its reading activities for a bookroom), newest first, from
    the provider the activities module registers (``hooks``); none without one. Console pages read
    inside the cadre's scope; ``public`` reads only what workers may see, without a scope."""
    provider = hooks.venue_activities_provider()
    if provider is None:
        return []

    def read():
        items = provider(position, public)
        if hasattr(items, "order_by"):
            return list(items.order_by("-starts_at", "-pk")[:limit])
        return sorted(items, key=lambda a: a.starts_at, reverse=True)[:limit]

    if public:
        with scopes_disabled():
            return read()
    return read()


def loans_summary_of_member(member, *, today: datetime.date | None = None) -> dict:
    """For the worker's "我的" page: the member's book loans not yet returned, and of them overdue."""
    today = today or timezone.localdate()
    with scopes_disabled():
        return Loan.objects.filter(member=member, returned_on__isnull=True).aggregate(
            open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


WORKER_LOANS = 50  # the loans a worker's phone lists (open ones first; the page says so when it is full)


def loans_of_member(member) -> list[Loan]:
    """The member's latest loans, open ones first."""
    with scopes_disabled():
        return list(Loan.objects.filter(member=member).select_related("copy__book__position")
                    .order_by(F("returned_on").desc(nulls_first=True), "-lent_on", "-id")[:WORKER_LOANS])


def member_loans(member, *, limit: int) -> list[Loan]:
    """In the caller's scope: the member's book loans, newest first (the console's member page)."""
    return list(Loan.objects.filter(member=member).select_related("copy__book__position").order_by("-lent_on")[:limit])
