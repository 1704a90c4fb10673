"""Bulk enrolment of a whole union in medical mutual aid: idempotent, counting, one fee."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.aid.models import Enrolment
from gonghui.aid.services import medical
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.members.services import roster
from tests.test_scope_proof import _cadre_client, _token_headers

from .conftest import enrol, make_medical, make_member, make_programme, snapshot

pytestmark = pytest.mark.usefixtures("unscoped")


@pytest.fixture
def union(people):
    """Three active members in C, one in B, one who left; the first is enrolled already."""
    programme = make_medical(people)
    active = [make_member(people, seq=200 + i, phone=f"1391111{i:04d}") for i in range(3)]
    active.append(make_member(people, node=people.b, seq=210, phone="13911119999"))
    gone = make_member(people, seq=220, phone="13911118888")
    roster.end_membership(member=gone, actor=people.user("a_admin"), on=datetime.date(2025, 1, 2), reason="调离本单位")
    enrol(people, programme, active[0])
    return programme, active, gone


def test_a_whole_union_is_enrolled_once_and_a_repeat_changes_nothing(people, union):
    programme, active, gone = union
    result = medical.enrol_union(programme=programme, node=people.b, actor=people.user("b_clerk"), fee="80")
    assert result == {"enrolled": 3, "skipped": 1, "members": 4}
    rows = {e.member_id: e for e in Enrolment.objects.filter(programme=programme)}
    assert set(rows) == {m.pk for m in active} and gone.pk not in rows
    assert rows[active[1].pk].fee == Decimal("80.00") and rows[active[0].pk].fee == Decimal("60.00")
    assert rows[active[3].pk].node_id == people.b.pk and rows[active[1].pk].covers_to == programme.ends_on
    before = snapshot()
    again = medical.enrol_union(programme=programme, node=people.b, actor=people.user("b_clerk"))
    assert again == {"enrolled": 0, "skipped": 4, "members": 4}
    after = snapshot()
    assert after["aid.Enrolment"] == before["aid.Enrolment"]


def test_the_fee_defaults_to_the_programmes(people, union):
    programme, _active, _gone = union
    medical.enrol_union(programme=programme, node=people.c, actor=people.user("b_clerk"))
    assert set(Enrolment.objects.filter(programme=programme).values_list("fee", flat=True)) == {Decimal("60.00")}


@pytest.mark.parametrize("fee", ["-1", "0", "abc", "1e309", "0.001", 60.5])
def test_a_bad_fee_enrols_nobody(people, union, fee):
    programme, _active, _gone = union
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        medical.enrol_union(programme=programme, node=people.b, actor=people.user("b_clerk"), fee=fee)
    assert "fee" in exc.value.message_dict
    assert snapshot() == before


def test_refused_outside_the_rules(people, union):
    programme, _active, _gone = union
    winter = make_programme(people)
    before = snapshot()
    with pytest.raises(DomainError):
        medical.enrol_union(programme=winter, node=people.b, actor=people.user("b_clerk"))
    with pytest.raises(NotPermitted):
        medical.enrol_union(programme=programme, node=people.b, actor=people.user("d_admin"))
    with pytest.raises(NotPermitted):
        medical.enrol_union(programme=programme, node=people.b, actor=people.user("a_finance"))
    own = make_medical_at(people, people.b)
    with pytest.raises(DomainError) as exc:
        medical.enrol_union(programme=own, node=people.d, actor=people.user("a_admin"))
    assert exc.value.code == "node_outside"
    assert snapshot()["aid.Enrolment"] == before["aid.Enrolment"]


def make_medical_at(tree, node):
    with scopes_disabled():
        return make_programme(tree, kind="medical_mutual_aid", node=node, period="b", enrolment_fee="60",
                              deductible="1000", ratio="0.6", cap_per_claim="20000", cap_per_year="30000")


def test_the_query_count_does_not_grow_with_the_union(people):
    programme = make_medical(people)
    for i in range(3):
        make_member(people, seq=300 + i, phone=f"1392222{i:04d}")
    with CaptureQueriesContext(connection) as small:
        medical.enrol_union(programme=programme, node=people.c, actor=people.user("b_clerk"))
    other = make_medical_at(people, people.a)
    for i in range(3, 30):
        make_member(people, seq=300 + i, phone=f"1392222{i:04d}")
    with CaptureQueriesContext(connection) as large:
        assert medical.enrol_union(programme=other, node=people.c, actor=people.user("b_clerk"))["enrolled"] == 30
    assert len(large.captured_queries) <= len(small.captured_queries)  # the first call also loads the roles


def test_console_and_api(people, union):
    programme, _active, _gone = union
    response = _cadre_client(people, "b_clerk").post(f"/aid/programmes/{programme.pk}/enrolments/union/",
                                                     {"node": people.b.code, "fee": ""}, follow=True)
    assert response.status_code == 200 and "3" in response.content.decode()
    assert Enrolment.objects.filter(programme=programme).count() == 4
    headers = _token_headers(people, "b_admin")
    url = f"/api/v1/aid/programmes/{programme.pk}/enrolments/union"
    again = Client().post(url, json.dumps({"node_id": people.b.pk}), content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.json() == {"enrolled": 0, "skipped": 4, "members": 4}
    floaty = Client().post(url, json.dumps({"node_id": people.b.pk, "fee": 60.5}), content_type="application/json",
                           headers=headers)
    assert floaty.status_code == 422 and "fee" in floaty.json()["errors"]
    outside = Client().post(url, json.dumps({"node_id": people.d.pk}), content_type="application/json",
                            headers=headers)
    assert outside.status_code == 404
