"""Bookroom API, catalogue search, withdrawing copies, the workers' catalogue page and the reading
activities shown through the venue hook; bad input answered in Chinese with nothing changed."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.core.errors import DomainError
from gonghui.positions import hooks, selectors
from gonghui.positions.models import Book, BookCopy, Loan
from gonghui.positions.services import bookrooms
from tests.positions.factories import make_position
from tests.scope_kit import _member


@pytest.fixture
def bookroom(tree):
    with scopes_disabled():
        room = make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")
        bookrooms.add_book(position=room, actor=tree.user("b_clerk"), isbn="9787020025367", title="平凡的世界",
                           author="路遥", copies=2, ebook_url="https://example.org/e/1")
        bookrooms.add_book(position=room, actor=tree.user("b_clerk"), isbn="7-5442-5399-6", title="活着",
                           author="余华", copies=1)
        bookrooms.add_book(position=room, actor=tree.user("b_clerk"), isbn="9780306406157", title="Rust 编程",
                           author="路人甲", copies=0)
    return room


def api_for(client, user):
    with scopes_disabled():
        _token, key = create_api_token(user=user, name="test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.mark.parametrize("query, titles", [
    ("平凡", ["平凡的世界"]), ("路", ["Rust 编程", "平凡的世界"]), ("978-7-5442-5399-4", ["活着"]),
    ("7544253996", ["活着"]), ("ISBN ９７８７０２００２５３６７", ["平凡的世界"]), ("002536", ["平凡的世界"]),
    ("不存在的书", []), ("", ["Rust 编程", "平凡的世界", "活着"]),
])
def test_catalogue_search_by_title_author_isbn(tree, bookroom, query, titles):
    with scopes_disabled():
        assert sorted(b.title for b in selectors.catalogue(bookroom, query=query)) == sorted(titles)


def test_availability_counts_loans_and_withdrawn_copies(tree, bookroom):
    member = _member(tree, tree.c)
    with scopes_disabled():
        first, second = Book.objects.get(title="平凡的世界").copies.all()
        bookrooms.lend_copy(copy=first, actor=tree.user("b_clerk"), card_code=member.card_number)
        bookrooms.withdraw_copy(copy=second, actor=tree.user("b_clerk"))
        book = selectors.catalogue(bookroom, query="平凡").get()
        assert (book.copies_total, book.copies_out, book.copies_available) == (1, 1, 0)
        with pytest.raises(DomainError) as exc:  # on loan: return it first
            bookrooms.withdraw_copy(copy=first, actor=tree.user("b_clerk"))
        assert exc.value.code == "copy_on_loan" and not BookCopy.objects.get(pk=first.pk).withdrawn
        with pytest.raises(DomainError):  # a withdrawn copy is not lent
            bookrooms.lend_copy(copy=BookCopy.objects.get(pk=second.pk), actor=tree.user("b_clerk"),
                           card_code=member.card_number)
        assert Loan.objects.count() == 1


def test_api_search_lend_return_overdue(tree, bookroom, client):
    api = api_for(client, tree.user("b_clerk"))
    member = _member(tree, tree.d)  # any union's member borrows
    found = api.get(f"/api/v1/positions/{bookroom.pk}/books", {"q": "路遥"}).json()
    assert [b["title"] for b in found["items"]] == ["平凡的世界"] and found["items"][0]["copies_available"] == 2
    book_id = found["items"][0]["id"]
    copies = api.get(f"/api/v1/books/{book_id}/copies").json()
    assert [c["on_loan"] for c in copies] == [False, False]
    lent = api.post(f"/api/v1/copies/{copies[0]['id']}/lend", {"card": member.card_number},
                    content_type="application/json")
    assert lent.status_code == 201, lent.content
    assert lent.json()["member_name"] == "王**" and lent.json()["title"] == "平凡的世界"
    again = api.post(f"/api/v1/copies/{copies[0]['id']}/lend", {"card": member.card_number},
                     content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "copy_on_loan" and "已借出" in again.json()["detail"]
    assert api.get(f"/api/v1/positions/{bookroom.pk}/books", {"q": "平凡"}).json()["items"][0]["copies_available"] == 1
    with scopes_disabled():
        Loan.objects.filter(pk=lent.json()["id"]).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    overdue = api.get("/api/v1/loans/overdue", {"node": tree.b.pk}).json()["items"]
    assert [(o["title"], o["days_overdue"], o["member_name"]) for o in overdue] == [("平凡的世界", 3, "王**")]
    returned = api.post(f"/api/v1/copies/{copies[0]['id']}/return")
    assert returned.status_code == 200 and returned.json()["returned_on"] == timezone.localdate().isoformat()
    assert api.get("/api/v1/loans/overdue").json()["items"] == []


def test_api_bad_input_changes_nothing(tree, bookroom, client):
    api = api_for(client, tree.user("b_clerk"))
    bad_isbn = api.post(f"/api/v1/positions/{bookroom.pk}/books", {"isbn": "9787020025368", "title": "错"},
                        content_type="application/json")
    assert bad_isbn.status_code == 422 and "校验" in str(bad_isbn.json())
    with scopes_disabled():
        copy_pk = BookCopy.objects.get(book__title="活着").pk
    unknown = api.post(f"/api/v1/copies/{copy_pk}/lend", {"card": "3305240000000000"}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "card_unknown"
    not_lent = api.post(f"/api/v1/copies/{copy_pk}/return")
    assert not_lent.status_code == 400 and not_lent.json()["code"] == "copy_not_on_loan"
    with scopes_disabled():
        book_pk = Book.objects.get(title="活着").pk
    none = api.post(f"/api/v1/books/{book_pk}/copies", {"copies": 0}, content_type="application/json")
    assert none.status_code == 422
    with scopes_disabled():
        assert Book.objects.count() == 3 and not Loan.objects.exists() and BookCopy.objects.count() == 3


def test_viewer_reads_but_may_not_lend(tree, bookroom, client):
    api = api_for(client, tree.user("b_viewer"))
    member = _member(tree, tree.c)
    assert api.get(f"/api/v1/positions/{bookroom.pk}/books").status_code == 200
    with scopes_disabled():
        copy_pk = BookCopy.objects.get(book__title="活着").pk
    assert api.post(f"/api/v1/copies/{copy_pk}/lend", {"card": member.card_number},
                    content_type="application/json").status_code == 403
    with scopes_disabled():
        assert not Loan.objects.exists()


def test_book_list_query_count_is_flat(tree, bookroom, client, django_assert_max_num_queries):
    api = api_for(client, tree.user("b_clerk"))
    with django_assert_max_num_queries(12) as few:
        api.get(f"/api/v1/positions/{bookroom.pk}/books")
    with scopes_disabled():
        for i in range(20):
            book = Book.objects.create(position=bookroom, isbn=f"97800000{i:05d}", title=f"书{i}")
            BookCopy.objects.create(book=book, barcode=f"b{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(f"/api/v1/positions/{bookroom.pk}/books").json()["items"]) == 23


def test_worker_catalogue_page_without_sign_in(tree, bookroom, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = client.get(reverse("worker:station_books", args=[bookroom.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "平凡的世界" in text and "2 本在架，共 2 本" in text
    assert 'href="https://example.org/e/1"' in text and "全部借出" not in text
    found = client.get(reverse("worker:station_books", args=[bookroom.pk]), {"q": "余华"}).content.decode()
    assert "活着" in found and "平凡的世界" not in found
    public = client.get(f"/api/v1/stations/{bookroom.pk}/books", {"q": "活着"}).json()["items"]
    assert [b["title"] for b in public] == ["活着"]
    station = client.get(reverse("worker:station", args=[bookroom.pk])).content.decode()
    assert reverse("worker:station_books", args=[bookroom.pk]) in station
    with scopes_disabled():
        plain = make_position(tree.c, tree=tree, kind="counselling")
        closed = make_position(tree.c, tree=tree, kind="bookroom", status="closed")
    assert client.get(reverse("worker:station_books", args=[plain.pk])).status_code == 404
    assert client.get(reverse("worker:station_books", args=[closed.pk])).status_code == 404


@pytest.fixture
def provider():
    """A stand-in for the activities module's provider: it receives the position and ``public``."""
    calls = []

    def provide(position, public):
        calls.append((position.pk, public))
        start = timezone.make_aware(datetime.datetime(2026, 4, 23, 14))
        items = [SimpleNamespace(pk=7, title="世界读书日共读会", starts_at=start, ends_at=start,
                                 get_kind_display=lambda: "文体活动"),
                 SimpleNamespace(pk=8, title="内部筹备会", starts_at=start - datetime.timedelta(days=9),
                                 ends_at=start, get_kind_display=lambda: "讲座")]
        return items[:1] if public else items

    before = hooks.venue_activities_provider()
    hooks.register_venue_activities(provide)
    yield calls
    hooks.register_venue_activities(before)


def test_reading_activities_come_from_the_registered_provider(tree, bookroom, client, provider):
    text = client.get(reverse("worker:station_books", args=[bookroom.pk])).content.decode()
    assert "世界读书日共读会" in text and "内部筹备会" not in text
    client.force_login(tree.user("b_admin"))
    console = client.get(reverse("positions:books", args=[bookroom.pk])).content.decode()
    assert "世界读书日共读会" in console and "内部筹备会" in console
    assert provider == [(bookroom.pk, True), (bookroom.pk, False)]


def test_no_provider_no_activities(tree, bookroom, client):
    before = hooks.venue_activities_provider()
    hooks.register_venue_activities(None)
    try:
        text = client.get(reverse("worker:station_books", args=[bookroom.pk])).content.decode()
        assert "暂无阅读活动" in text
    finally:
        hooks.register_venue_activities(before)


def test_console_withdraw_button(tree, bookroom, client):
    client.force_login(tree.user("b_clerk"))
    with scopes_disabled():
        copy = BookCopy.objects.get(book__title="活着")
    response = client.post(reverse("positions:withdraw", args=[copy.pk]))
    assert response.status_code == 302
    with scopes_disabled():
        assert BookCopy.objects.get(pk=copy.pk).withdrawn
    page = client.get(reverse("positions:books", args=[bookroom.pk])).content.decode()
    assert "已剔旧" in page
