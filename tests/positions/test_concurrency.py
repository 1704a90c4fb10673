"""The same scan arriving twice at once counts one visit: the unique constraint on (station,
person, hour) settles the race. Real threads and a barrier, on PostgreSQL (SQLite has one writer)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.positions.models import Visit
from gonghui.positions.services import visits
from tests.concurrency import race
from tests.factories import make_tree
from tests.positions.factories import make_position

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="concurrent transactions need PostgreSQL; SQLite has one writer"),
]


def test_simultaneous_scans_by_one_person_count_once():
    assert connection.vendor == "postgresql"
    at = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 5))
    with scopes_disabled():
        tree = make_tree()
        station = make_position(tree.c, tree=tree)
    results = race(*[lambda: visits.visit_by_phone(position=station, phone="13700001234", consent=True, at=at)
                     for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.counted for r in results) == 1
    with scopes_disabled():
        assert Visit.objects.count() == 1


def test_the_same_copy_lent_twice_at_once_makes_one_loan():
    """Two counters scan two members' cards for the same copy at the same moment: one loan, and
    the other clerk hears "already on loan"."""
    from gonghui.core.errors import DomainError
    from gonghui.positions.models import Loan
    from gonghui.positions.services import bookrooms
    from tests.scope_kit import _member

    with scopes_disabled():
        tree = make_tree()
        room = make_position(tree.c, tree=tree, kind="bookroom", name="精密机械职工书屋")
        copy = bookrooms.add_book(position=room, actor=tree.user("b_clerk"), isbn="9787020025367",
                                  title="平凡的世界").copies.get()
        readers = [_member(tree, tree.c), _member(tree, tree.d)]
    results = race(*[lambda m=m: bookrooms.lend_copy(copy=copy, actor=tree.user("b_clerk"), card_code=m.card_number)
                     for m in readers])
    loans = [r for r in results if isinstance(r, Loan)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(loans) == 1 and len(refused) == 1 and refused[0].code == "copy_on_loan", results
    with scopes_disabled():
        assert Loan.objects.filter(copy=copy, returned_on__isnull=True).count() == 1
