"""Long lists page; long choosers narrow by search. Nothing a cadre reads stops at a silent cap.

``paged`` is the console's paging (Django's Paginator) with the query string for the links, shown by
``console/_pager.html``. ``chooser`` is for a select of unions or employers that can run into the
thousands: it offers all rows when there are few, and otherwise the first ``CHOOSER_ROWS`` with
"showing N of M" and a search box (``console/_chooser.html``, plain HTML: a GET form narrowing the
select, so it works without JavaScript). The POST form beside it keeps the search in its address,
so the row chosen from a narrowed list is among the choices when the form is checked.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from .limits import search_term

CHOOSER_ROWS = 200


def paged(request, rows, per: int = 50, key: str = "page") -> tuple[Page, str]:
    """A page of ``rows`` and the query string without the page number, for the pager's links."""
    params = request.GET.copy()
    params.pop(key, None)
    return Paginator(rows, per).get_page(request.GET.get(key)), params.urlencode()


@dataclass(frozen=True)
class Chooser:
    rows: list
    total: int
    term: str
    key: str
    keep: dict  # the other query parameters, kept as hidden fields of the search form

    @property
    def narrowed(self) -> bool:
        return self.total > len(self.rows)


def chooser(request, rows, *, search, key: str = "uq", per: int | None = None) -> Chooser:
    """The rows a select offers (at most ``per``, ``CHOOSER_ROWS`` by default). ``search(rows, term)``
    narrows them by what was typed in ``key``."""
    per = per or CHOOSER_ROWS
    term = search_term(request, request.GET.get(key))
    if term:
        rows = search(rows, term)
    total = rows.count()
    keep = {k: v for k, v in request.GET.items() if k != key}
    return Chooser(rows=list(rows[:per]), total=total, term=term, key=key, keep=keep)
