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
