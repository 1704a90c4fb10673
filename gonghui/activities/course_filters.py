"""Filters of the workers' course list on the phone: type, place, from a date, with seats left; and
its pages (20 activities a page instead of one long page). Bad input is said, not ignored."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Kind

PER_PAGE = 20
PLACE_LIMIT = 40


@dataclass
class CourseFilters:
    kind: str = ""
    place: str = ""
    on_or_after: datetime.date | None = None
    seats: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.kind or self.place or self.on_or_after or self.seats)

    def query(self) -> str:
        """The filters as a query string, for the pager's links."""
        from urllib.parse import urlencode

        items = {"kind": self.kind, "place": self.place,
                 "date": self.on_or_after.isoformat() if self.on_or_after else "", "seats": "1" if self.seats else ""}
        return urlencode({k: v for k, v in items.items() if v})


def parse(params) -> CourseFilters:
    filters = CourseFilters()
    kind = params.get("kind", "")
    if kind in Kind.values:
        filters.kind = kind
    elif kind:
        filters.errors.append(_("Unknown type of activity."))
    place = params.get("place", "").strip()
    if len(place) > PLACE_LIMIT:
        filters.errors.append(_("A place has at most %(n)d characters.") % {"n": PLACE_LIMIT})
    else:
        filters.place = place
    raw = params.get("date", "").strip()
    if raw:
        try:
            filters.on_or_after = datetime.date.fromisoformat(raw)
        except ValueError:
            filters.errors.append(_("Enter the date as YYYY-MM-DD."))
    filters.seats = params.get("seats") == "1"
    return filters


def apply(items, filters: CourseFilters) -> list:
    out = []
    for a in items:
        if filters.kind and a.kind != filters.kind:
            continue
        if filters.place and filters.place not in f"{a.venue_text} {a.node.name}":
            continue
        if filters.on_or_after and timezone.localtime(a.starts_at).date() < filters.on_or_after:
            continue
        if filters.seats and (a.taken >= a.capacity or a.waiting > 0):
            continue
        out.append(a)
    return out


def page_of(items, number):
    return Paginator(items, PER_PAGE).get_page(number)


KINDS = Kind.choices
