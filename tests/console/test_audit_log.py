"""The audit log in the console and the API: administrators read their subtree's records, filtered,
exported (audited, without the filters' text), with the log's verification status at the top."""

import datetime
import io

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.core import checkpoints
from gonghui.core.audit import audit
from gonghui.core.models import AuditEntry
from gonghui.orgs.models import Node
from tests.factories import resident_id

from .kit import cadre, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(tree, settings, tmp_path):
    settings.GONGHUI_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.txt"
    with scopes_disabled():
        c, d = Node.objects.get(pk=tree.c.pk), Node.objects.get(pk=tree.d.pk)
    audit("test.c_changed", actor=tree.user("b_admin"), obj=c, data={"n": 1})
    audit("test.d_changed", actor=tree.user("d_admin"), obj=d, data={"n": 2})
    audit("accounts.login_failed", data={"username_hash": "x"})  # belongs to no union
    return c, d


def test_records_carry_the_union_they_belong_to(records):
    c, d = records
    assert AuditEntry.objects.get(action="test.c_changed").node_path == c.path
    assert AuditEntry.objects.get(action="test.d_changed").node_path == d.path


def test_an_admin_reads_their_subtree_only(tree, records):
    page = cadre(tree, "b_admin").get("/console/audit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "test.c_changed" in text and "test.d_changed" not in text and "accounts.login_failed" not in text
    county = cadre(tree, "a_admin").get("/console/audit/").content.decode()
    assert "test.c_changed" in county and "test.d_changed" in county and "accounts.login_failed" in county


def test_other_roles_may_not_read_it(tree, records):
    assert cadre(tree, "b_clerk").get("/console/audit/").status_code == 403
    assert cadre(tree, "b_viewer").get("/console/audit/export/").status_code == 403
    api = Client().get("/api/v1/audit", headers=token(tree, "b_viewer"))
    assert api.status_code == 200 and api.json()["items"] == []


def test_filters_and_a_bad_date_is_refused_in_chinese(tree, records):
    client = cadre(tree, "a_admin")
    text = client.get("/console/audit/", {"action": "test.d"}).content.decode()
    assert "test.d_changed" in text and "test.c_changed" not in text
    text = client.get("/console/audit/", {"node": tree.c.code}).content.decode()
    assert "test.c_changed" in text and "test.d_changed" not in text
    text = client.get("/console/audit/", {"object_type": "orgs.node", "object_id": str(tree.d.pk)}).content.decode()
    assert "test.d_changed" in text and "test.c_changed" not in text
    bad = client.get("/console/audit/", {"since": "2026-13-40"}).content.decode()
    assert 'id="filter-errors"' in bad and "YYYY-MM-DD" in bad and "test.c_changed" not in bad
    api = Client().get("/api/v1/audit", {"since": "yesterday"}, headers=token(tree, "a_admin"))
    assert api.status_code == 422
    long = client.get("/console/audit/", {"actor": "张" * 81}).content.decode()
    assert 'id="filter-errors"' in long and "test.c_changed" not in long


def test_each_entry_links_to_its_object(tree, records):
    text = cadre(tree, "b_admin").get("/console/audit/").content.decode()
    assert f'href="/orgs/nodes/{tree.c.pk}/"' in text


def test_the_export_is_audited_without_the_typed_filters(tree, records):
    typed = "330524196212184692"
    response = cadre(tree, "a_admin").get("/console/audit/export/", {"actor": typed})
    assert response.status_code == 200
    load_workbook(io.BytesIO(response.content))
    exported = AuditEntry.objects.filter(action="audit.exported").latest("seq")
    assert typed not in str(exported.data) and exported.data["filters"]["fields"] == ["actor"]


def test_the_api_lists_the_same_scoped(tree, records):
    rows = Client().get("/api/v1/audit", headers=token(tree, "b_admin")).json()["items"]
    actions = {row["action"] for row in rows}
    assert "test.c_changed" in actions and "test.d_changed" not in actions
    assert next(r for r in rows if r["action"] == "test.c_changed")["object_url"] == f"/orgs/nodes/{tree.c.pk}/"


def test_the_status_at_the_top_tells_how_far_the_log_is_signed(tree, records, django_assert_max_num_queries):
    checkpoints.make_checkpoint()
    audit("test.after", obj=tree.c)
    from django.core.cache import cache

    cache.clear()
    text = cadre(tree, "a_admin").get("/console/audit/").content.decode()
    assert 'id="audit-status"' in text and 'class="badge ok"' in text
    signed = AuditEntry.objects.filter(action__startswith="test.").count() + 1
    assert str(signed) in text or str(signed - 1) in text


def test_the_list_costs_a_fixed_number_of_queries(tree, records, django_assert_max_num_queries):
    client = cadre(tree, "a_admin")
    client.get("/console/audit/")  # warm: the verification status is cached
    for i in range(30):
        audit("test.more", obj=tree.c if i % 2 else tree.d, data={"i": i})
    with django_assert_max_num_queries(20):
        assert client.get("/console/audit/").status_code == 200


def test_an_objects_page_shows_its_history(tree):
    from gonghui.members.services import roster

    with scopes_disabled():
        member = roster.create_member(node=Node.objects.get(pk=tree.c.pk), actor=tree.user("b_admin"), name="陈晓燕",
                                      id_number=resident_id("19900202", 14), phone="13600000001",
                                      employment_form="contract", joined_on=datetime.date(2024, 3, 1))
    text = cadre(tree, "b_admin").get(f"/members/{member.pk}/").content.decode()
    assert 'id="audit-history"' in text and "members.member" in text
    assert f"object_type=members.member&amp;object_id={member.pk}" in text  # an admin: link to the full log
