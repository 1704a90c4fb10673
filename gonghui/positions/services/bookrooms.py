"""Worker bookrooms (职工书屋): catalogue, copies, lending and returns by member card.

- only bookrooms (and worker's homes, which often hold one) keep a catalogue;
- an ISBN is validated by its check digit, ISBN-10 stored as ISBN-13; a title once per bookroom;
- a copy is lent to an active member, identified by the card's QR code (verified like the public
  check) or the card number typed from the card; one open loan per copy, enforced by a partial unique
  constraint, so two clerks lending the same copy at once lend it once;
- loans run 30 days by default; every change is audited.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import length_error, limit_of
from gonghui.core.text import clean_name
from gonghui.members import selectors as members
from gonghui.members.models import Member
from gonghui.members.services import card

from ..isbn import normalize_isbn
from ..models import CATALOGUE_KINDS, Book, BookCopy, Loan, Position

LOAN_DAYS = 30


@transaction.atomic
def add_book(*, actor, position: Position, isbn: str, title: str, author: str = "", publisher: str = "",
             year: int | None = None, ebook_url: str = "", copies: int = 1) -> Book:
    require(actor, "positions.book.add", node=position.node)
    if position.kind not in CATALOGUE_KINDS:
        raise DomainError("no_catalogue", _("This kind of position keeps no book catalogue."))
    errors = {}
    try:
        isbn = normalize_isbn(isbn)
    except ValidationError as exc:
        errors["isbn"] = exc.messages
    try:
        title = clean_name(title, max_length=limit_of(Book, "title"))
    except ValidationError as exc:
        errors["title"] = exc.messages
    if ebook_url:
        try:
            URLValidator(schemes=["https", "http"])(ebook_url)
        except ValidationError:
            errors["ebook_url"] = [_("Enter a web address starting with https://.")]
    if year is not None and not 1900 <= int(year) <= timezone.localdate().year + 1:
        errors["year"] = [_("Enter the year of publication, e.g. 2021.")]
    if not 0 <= int(copies) <= 200:
        errors["copies"] = [_("Between 0 and 200 copies at a time.")]
    author, publisher = (author or "").strip(), (publisher or "").strip()
    for field, value in (("author", author), ("publisher", publisher)):
        if message := length_error(Book, field, value):
            errors[field] = [message]
    if errors:
        raise ValidationError(errors)
    if Book.objects.filter(position=position, isbn=isbn).exists():
        raise ValidationError({"isbn": [_("This book is already in the catalogue; add copies to it instead.")]})
    book = Book.objects.create(position=position, isbn=isbn, title=title, author=author,
                               publisher=publisher, year=year, ebook_url=ebook_url)
    _add_copies(book, int(copies))
    audit("positions.book.added", actor=actor, obj=position, data={"book": book.pk, "copies": int(copies)})
    return book


def _add_copies(book: Book, n: int) -> None:
    start = book.copies.count() + 1
    BookCopy.objects.bulk_create([BookCopy(book=book, barcode=f"{book.isbn[-6:]}-{i:03d}")
                                  for i in range(start, start + n)])


def _member_of_card(code: str) -> Member:
    """The active member a card's QR code or its printed number names (any union: a bookroom lends
    to every member); DomainError otherwise."""
    code = (code or "").strip()
    if code.isdigit() and len(code) == 16:
        member = members.active_member_by_card_number(code)
        if member is None:
            raise DomainError("card_unknown", _("No active member has this card number."), field="card")
        return member
    check = card.verify_card(token=code)
    if not check.valid or check.member_id is None:
        raise DomainError("card_invalid", check.reason, field="card")
    return members.member_by_pk(check.member_id)


def lend_copy(*, actor, copy: BookCopy, card_code: str, on: datetime.date | None = None) -> Loan:
    require(actor, "positions.loan.lend", node=copy.book.position.node)
    if copy.withdrawn:
        raise DomainError("copy_withdrawn", _("This copy has been withdrawn."))
    member = _member_of_card(card_code)
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            loan = Loan.objects.create(copy=copy, member=member, lent_on=on,
                                       due_on=on + datetime.timedelta(days=LOAN_DAYS))
            audit("positions.loan.lent", actor=actor, obj=copy.book.position, data={"loan": loan.pk, "copy": copy.pk})
    except IntegrityError:
        raise DomainError("copy_on_loan", _("This copy is already on loan; return it first."), field="copy") from None
    return loan


@transaction.atomic
def return_copy(*, actor, copy: BookCopy, on: datetime.date | None = None) -> Loan:
    require(actor, "positions.loan.return", node=copy.book.position.node)
    loan = Loan.objects.select_for_update().filter(copy=copy, returned_on__isnull=True).first()
    if loan is None:
        raise DomainError("copy_not_on_loan", _("This copy is not on loan."), field="copy")
    loan.returned_on = on or timezone.localdate()
    loan.save(update_fields=["returned_on"])
    audit("positions.loan.returned", actor=actor, obj=copy.book.position, data={"loan": loan.pk})
    return loan


@transaction.atomic
def add_copies(*, actor, book: Book, copies: int) -> list[BookCopy]:
    """More copies of a title already in the catalogue."""
    require(actor, "positions.book.copies", node=book.position.node)
    if not isinstance(copies, int) or not 1 <= copies <= 200:
        raise ValidationError({"copies": [_("Between 1 and 200 copies at a time.")]})
    before = set(book.copies.values_list("pk", flat=True))
    _add_copies(book, copies)
    added = list(book.copies.exclude(pk__in=before))
    audit("positions.book.copies_added", actor=actor, obj=book.position, data={"book": book.pk, "copies": copies})
    return added


@transaction.atomic
def withdraw_copy(*, actor, copy: BookCopy) -> BookCopy:
    """Take a copy off the shelf for good (lost, worn out); a copy on loan must be returned first."""
    require(actor, "positions.copy.withdraw", node=copy.book.position.node)
    copy = BookCopy.objects.select_for_update().get(pk=copy.pk)
    if copy.withdrawn:
        raise DomainError("copy_withdrawn", _("This copy has been withdrawn."), field="copy")
    if Loan.objects.filter(copy=copy, returned_on__isnull=True).exists():
        raise DomainError("copy_on_loan", _("This copy is on loan; return it before withdrawing it."), field="copy")
    copy.withdrawn = True
    copy.save(update_fields=["withdrawn"])
    audit("positions.copy.withdrawn", actor=actor, obj=copy.book.position, data={"copy": copy.pk})
    return copy
