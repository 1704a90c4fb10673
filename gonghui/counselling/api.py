"""The cadres' API of counselling (/api/v1/counselling…): counsellors and counts only. No endpoint
returns who booked, a topic or a note: those are the counsellor's (console) and never exported."""

import datetime

from ninja import Router, Schema

from gonghui.accounts.permissions import require
from gonghui.core.schemas import Id
from gonghui.orgs import selectors as orgs

from . import selectors

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
