"""API of worker bookrooms (mounted with the positions router under /api/v1/).

The catalogue of a bookroom is public (``/stations/{id}/books``: what workers may read on the
worker page); the cadre endpoints see only the caller's subtrees: catalogue with copies on the
shelf, adding titles and copies, lending and returning by member card (admins and clerks of the
bookroom's union), withdrawing a copy, the overdue list with masked names.
"""

import datetime

from django.utils import timezone
from ninja import Field, Query, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from gonghui.accounts.permissions import require
from gonghui.core.limits import limit_of
from gonghui.core.masking import mask_name
from gonghui.core.schemas import InputSchema
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs import selectors as orgs

from . import limits, selectors
from .models import Book
from .routers import router
from .services import bookrooms as services


class BookOut(Schema):
    id: int
    isbn: str
    title: str
    author: str
    publisher: str
    year: int | None
    ebook_url: str
    copies_total: int
    copies_out: int
    copies_available: int


class PublicBookOut(Schema):
    id: int
    isbn: str
    title: str
    author: str
    ebook_url: str
    copies_available: int


class BookIn(InputSchema):
    isbn: str = Field(max_length=limits.ISBN_TEXT)
    title: str = Field(max_length=limit_of(Book, "title"))
    author: str = Field(default="", max_length=limit_of(Book, "author"))
    publisher: str = Field(default="", max_length=limit_of(Book, "publisher"))
    year: int | None = None
    ebook_url: str = Field(default="", max_length=limit_of(Book, "ebook_url"))
    copies: int = Field(default=1, ge=0, le=200)


class CopiesIn(InputSchema):
    copies: int = Field(ge=1, le=200)


class CopyOut(Schema):
    id: int
    book_id: int
    barcode: str
    withdrawn: bool
    on_loan: bool
    due_on: datetime.date | None
    borrower: str


class CardIn(InputSchema):
    card: str = Field(max_length=limits.CARD_TEXT, description="The 16-digit member card number or the card's QR code")


class LoanOut(Schema):
    id: int
    copy_id: int
    barcode: str
    book_id: int
    title: str
    position_id: int
    position_name: str
    member_name: str
    lent_on: datetime.date
    due_on: datetime.date
    returned_on: datetime.date | None
    days_overdue: int

    @staticmethod
    def resolve_barcode(obj):
        return obj.copy.barcode

    @staticmethod
    def resolve_book_id(obj):
        return obj.copy.book_id

    @staticmethod
    def resolve_title(obj):
        return obj.copy.book.title

    @staticmethod
    def resolve_position_id(obj):
        return obj.copy.book.position_id

    @staticmethod
    def resolve_position_name(obj):
        return obj.copy.book.position.name

    @staticmethod
    def resolve_member_name(obj):
        return mask_name(obj.member.name)

    @staticmethod
    def resolve_days_overdue(obj):
        today = timezone.localdate()
        return max((min(obj.returned_on or today, today) - obj.due_on).days, 0)


def _copy_out(copy) -> dict:
    loan = copy.open_loans[0] if getattr(copy, "open_loans", None) else None
    return {"id": copy.pk, "book_id": copy.book_id, "barcode": copy.barcode, "withdrawn": copy.withdrawn,
            "on_loan": loan is not None, "due_on": loan.due_on if loan else None,
            "borrower": mask_name(loan.member.name) if loan else ""}


@router.get("/stations/{position_id}/books", response=list[PublicBookOut], auth=None)
@scopes_disabled()  # a public catalogue; around the pagination, which reads the page after the view returns
@paginate(PageNumberPagination, page_size=50)
def public_books(request, position_id: int, q: str = Query("", max_length=limits.BOOK_SEARCH)):
    """A bookroom's catalogue as workers see it (no sign-in): titles, copies on the shelf, e-book
    links; every title, a page at a time."""
    position = selectors.public_bookroom(position_id)
    return selectors.catalogue(position, query=q)


@router.get("/positions/{position_id}/books", response=list[BookOut])
@paginate(PageNumberPagination, page_size=50)
def list_books(request, position_id: int, q: str = Query("", max_length=limits.BOOK_SEARCH)):
    """Search the catalogue by title, author or ISBN (10 or 13 digits, dashes allowed)."""
    position = selectors.access_position(position_id)
    require(request.user, "positions.book.list", node=position.node)
    return selectors.catalogue(position, query=q)


@router.post("/positions/{position_id}/books", response={201: BookOut})
def add_book(request, position_id: int, payload: BookIn):
    position = selectors.access_position(position_id)
    book = services.add_book(position=position, actor=request.user, **payload.dict())
    return Status(201, selectors.catalogue(position).get(pk=book.pk))


@router.get("/books/{book_id}/copies", response=list[CopyOut])
def list_copies(request, book_id: int):
    book = selectors.access_book(book_id)
    require(request.user, "positions.book.list", node=book.position.node)
    return [_copy_out(copy) for copy in selectors.copies_of(book)]


@router.post("/books/{book_id}/copies", response={201: list[CopyOut]})
def add_copies(request, book_id: int, payload: CopiesIn):
    book = selectors.access_book(book_id)
    copies = services.add_copies(book=book, actor=request.user, copies=payload.copies)
    return Status(201, [_copy_out(copy) for copy in copies])


@router.post("/copies/{copy_id}/lend", response={201: LoanOut})
def lend_copy(request, copy_id: int, payload: CardIn):
    """Lend a copy to the member whose card is shown (any union's member may borrow)."""
    copy = selectors.access_copy(copy_id)
    loan = services.lend_copy(copy=copy, actor=request.user, card_code=payload.card)
    return Status(201, loan)


@router.post("/copies/{copy_id}/return", response=LoanOut)
def return_copy(request, copy_id: int):
    copy = selectors.access_copy(copy_id)
    return services.return_copy(copy=copy, actor=request.user)


@router.post("/copies/{copy_id}/withdraw", response=CopyOut)
def withdraw_copy(request, copy_id: int):
    copy = selectors.access_copy(copy_id)
    return _copy_out(services.withdraw_copy(copy=copy, actor=request.user))


@router.get("/loans/overdue", response=list[LoanOut])
@paginate(PageNumberPagination, page_size=50)
def overdue_loans(request, node: int | None = None):
    """Loans past their due date in a subtree (the whole scope without ``node``), longest overdue first."""
    scope_node = orgs.access_node(node) if node is not None else None
    return selectors.overdue_loans(node=scope_node)
