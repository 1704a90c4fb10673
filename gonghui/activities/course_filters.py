"""Filters of the workers' course list on the phone: type, place, from a date, with seats left; and
its pages (20 activities a page instead of one long page). Bad input is said, not ignored."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .limits import COURSE_PLACE
from .models import Kind

PER_PAGE = 20


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
    if len(place) > COURSE_PLACE:
        filters.errors.append(_("A place has at most %(n)d characters.") % {"n": COURSE_PLACE})
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


def lookup(filters: CourseFilters) -> dict:
    """The filters as the arguments of ``selectors.open_courses`` (applied in the database, so the
    pages reach every course open to the worker). A date means from the start of that local day."""
    starts_from = None
    if filters.on_or_after:
        starts_from = timezone.make_aware(datetime.datetime.combine(filters.on_or_after, datetime.time.min))
    return {"kind": filters.kind, "place": filters.place, "starts_from": starts_from, "seats": filters.seats}


KINDS = Kind.choices
