"""core.editing: the version token of a row and the If-Match reading (issue 17, finding 1)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import RequestFactory
from django_scopes import scopes_disabled

from gonghui.core import editing
from gonghui.orgs.models import Employer
from tests.factories import make_employer

pytestmark = pytest.mark.django_db


def test_the_version_is_the_same_in_memory_and_read_back(tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
        assert editing.version_of(employer) == editing.version_of(Employer.objects.get(pk=employer.pk))
        assert len(editing.version_of(employer)) == editing.VERSION_LENGTH


def test_the_version_moves_with_any_field_and_hides_the_values(tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
        before = editing.version_of(employer)
        Employer.objects.filter(pk=employer.pk).update(notes="走访")
        after = editing.version_of(Employer.objects.get(pk=employer.pk))
    assert before != after
    # a keyed digest, not the values: hex only (a "10" inside random hex proved nothing and failed 1 run in 9)
    assert re.fullmatch(r"[0-9a-f]{16,}", before) and re.fullmatch(r"[0-9a-f]{16,}", after)


def test_values_are_compared_as_values():
    assert editing._plain(Decimal("10")) == editing._plain(Decimal("10.00"))
    utc = datetime.datetime(2026, 1, 1, 4, 0, tzinfo=datetime.UTC)
    beijing = utc.astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert editing._plain(utc) == editing._plain(beijing)


@pytest.mark.parametrize("header, expected", [
    ('"abc"', "abc"), ('W/"abc"', "abc"), ("abc", "abc"), ("*", None), ("", None)])
def test_if_match_is_read_leniently(header, expected):
    request = RequestFactory().patch("/", HTTP_IF_MATCH=header)
    assert editing.expected_from(request) == expected
    assert editing.expected_from(request, "body") == "body"


def test_a_stale_edit_is_refused_with_a_stable_code_and_409(tree):
    with scopes_disabled(), transaction.atomic():
        employer = make_employer(tree.b, employees=10)
        version = editing.version_of(employer)
        locked, changed = editing.edit(employer, {"employee_count": 11, "notes": ""}, expected_version=version)
        assert changed == ["employee_count"]
        with pytest.raises(editing.StaleEdit) as refused:
            editing.edit(employer, {"employee_count": 12}, expected_version=version)
    assert refused.value.code == "stale" and refused.value.status == 409

