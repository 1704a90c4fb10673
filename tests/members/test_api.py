"""The roster's API: masked output, scope, bad input, pagination without N+1, transfers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.core.models import AuditEntry
from gonghui.members.models import Member, Transfer
from gonghui.members.services import roster
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


def auth(user):
    _token, key = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def add(tree, n, node=None, start=0):
    with scopes_disabled():
        for i in range(n):
            roster.create_member(node=node or tree.c, actor=tree.user("a_admin"), name="吴刚",
                                 id_number=resident_id("19900101", 100 + start + i), phone=f"1380000{start + i:04d}",
                                 employment_form="contract")


def test_list_is_masked_scoped_and_constant_in_queries(client, tree):
    add(tree, 3)
    add(tree, 2, node=tree.d, start=40)
    headers = auth(tree.user("b_clerk"))
    client.get("/api/v1/members", **headers)  # the token's last-use stamp is written once, not per call
    with CaptureQueriesContext(connection) as few:
        body = client.get("/api/v1/members", **headers).json()
    assert body["count"] == 3
    assert all("*" in item["id_number_masked"] and "id_number" not in item for item in body["items"])
    add(tree, 30, start=60)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/members", **headers).json()["count"] == 33
    assert len(many) == len(few)


def test_create_bad_id_is_a_chinese_422_and_changes_nothing(client, tree):
    response = client.post("/api/v1/members", {"node_id": tree.c.pk, "name": "吴刚", "id_number": "123"},
                           content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans",
                           **auth(tree.user("b_clerk")))
    assert response.status_code == 422
    assert "18位" in str(response.json())
    with scopes_disabled():
        assert not Member.objects.exists()


def test_create_outside_scope_is_404(client, tree):
    response = client.post("/api/v1/members", {"node_id": tree.d.pk, "name": "吴刚",
                                               "id_number": resident_id("19900101", 500)},
                           content_type="application/json", **auth(tree.user("b_clerk")))
    assert response.status_code == 404
    with scopes_disabled():
        assert not Member.objects.exists()


def test_reveal_through_the_api_is_audited(client, tree):
    add(tree, 1)
    with scopes_disabled():
        member = Member.objects.get()
    response = client.post(f"/api/v1/members/{member.pk}/reveal", **auth(tree.user("b_clerk")))
    assert response.json()["id_number"] == member.id_number
    assert AuditEntry.objects.filter(action="members.member.reveal").count() == 1
    assert client.post(f"/api/v1/members/{member.pk}/reveal", **auth(tree.user("d_admin"))).status_code == 404


def test_transfer_round_trip(client, tree, people):
    add(tree, 1)
    with scopes_disabled():
        member = Member.objects.get()
    created = client.post("/api/v1/transfers", {"member_id": member.pk, "to_node_code": tree.d.code},
                          content_type="application/json", **auth(tree.user("b_clerk")))
    assert created.status_code == 201, created.content
    tid = created.json()["id"]
    # D's reviewer sees the incoming transfer though the member is not (yet) in D's scope.
    listed = client.get("/api/v1/transfers?status=pending", **auth(people.user("d_reviewer"))).json()
    assert [t["id"] for t in listed["items"]] == [tid]
    refused = client.post(f"/api/v1/transfers/{tid}/decision", {"side": "out", "approve": True},
                          content_type="application/json", **auth(people.user("d_reviewer")))
    assert refused.status_code == 403
    for user, side in ((people.user("d_reviewer"), "in"), (people.user("b_reviewer"), "out")):
        ok = client.post(f"/api/v1/transfers/{tid}/decision", {"side": side, "approve": True},
                         content_type="application/json", **auth(user))
        assert ok.status_code == 200, ok.content
    with scopes_disabled():
        assert Member.objects.get().node_id == tree.d.pk
        assert Transfer.objects.get().status == "approved"


def test_unknown_destination_code(client, tree):
    add(tree, 1)
    with scopes_disabled():
        member = Member.objects.get()
    response = client.post("/api/v1/transfers", {"member_id": member.pk, "to_node_code": "NOPE0000"},
                           content_type="application/json", **auth(tree.user("b_clerk")))
    assert response.status_code == 400
    with scopes_disabled():
        assert not Transfer.objects.exists()


def test_list_filters_by_gender_and_refuses_an_unknown_one(client, tree):
    add(tree, 5)
    with scopes_disabled():
        women = set(Member.objects.filter(gender="F").values_list("pk", flat=True))
    assert 0 < len(women) < 5
    headers = auth(tree.user("b_clerk"))
    body = client.get("/api/v1/members?gender=F", **headers).json()
    assert {item["id"] for item in body["items"]} == women and body["count"] == len(women)
    assert client.get("/api/v1/members?gender=M", **headers).json()["count"] == 5 - len(women)
    response = client.get("/api/v1/members?gender=X", HTTP_ACCEPT_LANGUAGE="zh-hans", **headers)
    assert response.status_code == 422
