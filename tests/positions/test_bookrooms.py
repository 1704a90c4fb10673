"""Worker bookrooms: ISBN check digits, ISBN-10 → 13, lending and returns by member card, one open
loan per copy, overdue list; bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.core.errors import DomainError
from gonghui.members.services import card
from gonghui.positions.isbn import normalize_isbn
from gonghui.positions.models import Book, BookCopy, Loan
from gonghui.positions.services import bookrooms
from tests.positions.factories import make_position
from tests.scope_kit import _member

pytestmark = pytest.mark.usefixtures("unscoped")


@pytest.mark.parametrize("raw, isbn13", [
    ("978-7-02-002536-7", "9787020025367"),
    ("7-02-002536-6", "9787020025367"),          # the same number as ISBN-10
    ("ISBN 7-5442-5399-6", "9787544253994"),
    ("０-３０６-４０６１５-２", "9780306406157"),   # full-width digits
    ("080442957X", "9780804429573"),
])
def test_isbn_normalized_to_13(raw, isbn13):
    assert normalize_isbn(raw) == isbn13


@pytest.mark.parametrize("raw, code", [
    ("978-7-02-002536-8", "isbn_check"), ("7-02-002536-8", "isbn_check"), ("12345", "isbn_length"),
    ("1234567890123", "isbn_prefix"), ("", "isbn_length"),
])
def test_bad_isbns_are_refused(raw, code):
    with pytest.raises(ValidationError) as exc:
        normalize_isbn(raw)
    assert exc.value.code == code


@pytest.fixture
def bookroom(tree):
    return make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")


def test_add_book_with_copies_and_refuse_a_bad_check_digit(tree, bookroom):
    book = bookrooms.add_book(position=bookroom, actor=tree.user("b_clerk"), isbn="7-02-002536-6", title="平凡的世界",
                              author="路遥", copies=3, ebook_url="https://example.org/ebook/1")
    assert book.isbn == "9787020025367" and book.copies.count() == 3
    with pytest.raises(ValidationError) as exc:
        bookrooms.add_book(position=bookroom, actor=tree.user("b_clerk"), isbn="9787020025368", title="错误")
    assert "isbn" in exc.value.message_dict
    with pytest.raises(ValidationError):
        bookrooms.add_book(position=bookroom, actor=tree.user("b_clerk"), isbn="9787020025367", title="重复")
    assert Book.objects.count() == 1 and BookCopy.objects.count() == 3


def test_lend_by_card_number_or_qr_code_and_return(tree, bookroom):
    member = _member(tree, tree.d)  # a member of another township borrows too
    book = bookrooms.add_book(position=bookroom, actor=tree.user("b_clerk"), isbn="9787020025367", title="平凡的世界")
    copy = book.copies.get()
    loan = bookrooms.lend_copy(copy=copy, actor=tree.user("b_clerk"), card_code=member.card_number,
                          on=datetime.date(2026, 11, 1))
    assert loan.member_id == member.pk and loan.due_on == datetime.date(2026, 12, 1)
    with pytest.raises(DomainError) as exc:
        bookrooms.lend_copy(copy=copy, actor=tree.user("b_clerk"), card_code=card.make_card_token(member=member))
    assert exc.value.code == "copy_on_loan"
    bookrooms.return_copy(copy=copy, actor=tree.user("b_clerk"))
    again = bookrooms.lend_copy(copy=copy, actor=tree.user("b_clerk"), card_code=card.make_card_token(member=member))
    assert again.pk != loan.pk and Loan.objects.filter(returned_on__isnull=True).count() == 1


def test_unknown_card_and_forged_code_lend_nothing(tree, bookroom):
    book = bookrooms.add_book(position=bookroom, actor=tree.user("b_clerk"), isbn="9787020025367", title="平凡的世界")
    for code in ("3305240000000000", "forged-code"):
        with pytest.raises(DomainError):
            bookrooms.lend_copy(copy=book.copies.get(), actor=tree.user("b_clerk"), card_code=code)
    assert not Loan.objects.exists()


def test_overdue_list_and_pages(tree, bookroom, client):
    member = _member(tree, tree.c)
    book = bookrooms.add_book(position=bookroom, actor=tree.user("b_clerk"), isbn="9787020025367", title="平凡的世界",
                              copies=2)
    first, second = book.copies.all()
    bookrooms.lend_copy(copy=first, actor=tree.user("b_clerk"), card_code=member.card_number, on=datetime.date(2026, 1, 5))
    client.force_login(tree.user("b_admin"))
    page = client.get(reverse("positions:books", args=[bookroom.pk])).content.decode()
    assert "平凡的世界" in page and "在架" in page
    response = client.post(reverse("positions:lend", args=[second.pk]), {"card": member.card_number})
    assert response.status_code == 302 and Loan.objects.filter(returned_on__isnull=True).count() == 2
    overdue = client.get(reverse("positions:overdue")).content.decode()
    assert "平凡的世界" in overdue and member.name not in overdue  # masked
