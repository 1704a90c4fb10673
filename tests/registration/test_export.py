"""The register exported to xlsx: the page's filters, the scope, formula-safe cells, masked ID numbers,
audited; the same from the API; a flat query count."""

import datetime
import io

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.core.models import AuditEntry
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node

from .conftest import FORM
from .test_api import _headers
from .test_reminders import TODAY, _registered

pytestmark = pytest.mark.django_db


def test_the_register_exports_to_xlsx_formula_safe_masked_and_audited(tree, office):
    due = _registered(tree, tree.c, "=HYPERLINK(\"http://x\")工会", TODAY + datetime.timedelta(days=5))
    d_union = orgs.create_node(parent=Node.objects.get(pk=tree.d.pk), actor=None, name="河口某公司工会",
                               kind="enterprise")
    _registered(tree, d_union, "河口某公司工会", TODAY + datetime.timedelta(days=400))
    client = Client()
    client.force_login(tree.user("b_admin"))
    response = client.get("/registration/register/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the one registration of B's subtree (D's is outside)
    header, row = rows
    assert row[0] == "'=HYPERLINK(\"http://x\")工会"  # shown as text, never run
    assert row[1] == due.credit_code and row[3] == "是"
    id_number = FORM["legal_rep_id_number"]
    assert id_number not in str(row) and row[header.index("法定代表人身份证号码")].startswith(id_number[:3])
    with scopes_disabled():
        entry = AuditEntry.objects.filter(action="registration.register.exported").get()
    assert entry.data["rows"] == 1
    # a node outside the scope is refused, nothing exported or audited
    assert client.get(f"/registration/register/export.xlsx?node={tree.d.pk}").status_code == 404
    assert AuditEntry.objects.filter(action="registration.register.exported").count() == 1


def test_the_api_exports_the_callers_scope_with_filters(tree, office):
    _registered(tree, tree.c, "青山精密机械有限公司工会", TODAY + datetime.timedelta(days=5))
    d_union = orgs.create_node(parent=Node.objects.get(pk=tree.d.pk), actor=None, name="河口某公司工会",
                               kind="enterprise")
    _registered(tree, d_union, "河口某公司工会", TODAY + datetime.timedelta(days=400))
    client = Client()
    response = client.get("/api/v1/registration/register/export.xlsx", headers=_headers(tree.user("a_admin")))
    names = [r[0] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["河口某公司工会", "青山精密机械有限公司工会"]
    response = client.get("/api/v1/registration/register/export.xlsx?due=true", headers=_headers(tree.user("a_admin")))
    names = [r[0] for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["青山精密机械有限公司工会"]
    assert AuditEntry.objects.filter(action="registration.register.exported").count() == 2


@pytest.mark.parametrize("rows", [1, 6])
def test_the_export_has_a_flat_query_count(tree, office, rows, django_assert_max_num_queries):
    for i in range(rows):
        node = orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name=f"测试{i}公司工会",
                                kind="enterprise")
        _registered(tree, node, f"测试{i}公司工会", TODAY + datetime.timedelta(days=10 * i))
    client = Client()
    client.force_login(tree.user("b_admin"))
    client.get("/registration/register/export.xlsx")
    with django_assert_max_num_queries(12):
        assert client.get("/registration/register/export.xlsx").status_code == 200
