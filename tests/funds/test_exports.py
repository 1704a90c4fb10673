"""The ledger and plan vs allocated vs spent as xlsx: the union's subtree and year, formula-safe,
exact amounts, audited; the same from the API; a flat query count."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.core.models import AuditEntry
from gonghui.funds.services import ledger
from tests.funds.kit import YEAR, setup

from .test_views import _api

pytestmark = pytest.mark.django_db


@pytest.fixture
def funds(tree):
    return setup(tree)


def _rows(response) -> list[tuple]:
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _paid(tree, funds, node, payee, amount="1200"):
    with scopes_disabled():
        payment = ledger.prepare_payment(node=node, year=YEAR, category=funds.subsidy, amount=amount, payee_name=payee,
                                         purpose="慰问金", actor=tree.user("b_admin" if node != tree.d else "d_admin"))
        fin = "d_fin" if node == tree.d else "b_fin"
        return ledger.approve_payment(payment=payment, actor=tree.user(fin))


def test_the_ledger_exports_the_subtree_formula_safe_with_reversals(tree, funds):
    payment = _paid(tree, funds, tree.b, "=SUM(A1:A9)困难职工")
    _paid(tree, funds, tree.d, "河口困难职工")
    with scopes_disabled():
        ledger.reverse_payment(payment=payment, actor=tree.user("b_fin2"), reason="重复发放")
    client = Client()
    client.force_login(tree.user("b_admin"))
    header, *rows = _rows(client.get(f"/funds/ledger/export.xlsx?node={tree.b.pk}&year={YEAR}"))
    assert len(rows) == 2 and "河口" not in str(rows)  # the payment and its reversal, none of D
    original, reversal = sorted(rows, key=lambda r: r[0])
    assert original[7] == "'=SUM(A1:A9)困难职工"  # shown as text, never run
    assert Decimal(str(original[6])) == Decimal("1200") and Decimal(str(reversal[6])) == Decimal("-1200")
    assert reversal[10] == original[0] and len(original[11]) == 64  # points at the row it reverses; the hash
    entry = AuditEntry.objects.get(action="funds.ledger.exported")
    assert entry.data == {"year": YEAR, "rows": 2}
    assert client.get(f"/funds/ledger/export.xlsx?node={tree.d.pk}&year={YEAR}").status_code == 404


def test_plan_vs_allocated_vs_spent_exports_the_home_pages_tables(tree, funds):
    _paid(tree, funds, tree.b, "困难职工", amount="5000")
    client = Client()
    client.force_login(tree.user("b_admin"))
    header, *rows = _rows(client.get(f"/funds/export.xlsx?node={tree.b.pk}&year={YEAR}"))
    assert header[1] == "分类或单位" and header[9] == "执行率（%）"
    by_name = {r[1]: r for r in rows}
    subsidy = by_name["乡镇工会经费补助"]
    # received 200,000 from the county, spent 5,000: executed 2.5 %
    assert Decimal(str(subsidy[5])) == Decimal("200000") and Decimal(str(subsidy[8])) == Decimal("5000")
    assert Decimal(str(subsidy[9])) == Decimal("2.5")
    assert "青山精密机械有限公司工会" in by_name  # the child of B, by union
    assert AuditEntry.objects.filter(action="funds.plan_vs_spent.exported").count() == 1


def test_the_api_exports_both(tree, funds):
    _paid(tree, funds, tree.b, "困难职工")
    client, headers = Client(), _api(tree, "b_admin")
    rows = _rows(client.get(f"/api/v1/funds/ledger/export.xlsx?year={YEAR}", headers=headers))
    assert len(rows) == 2
    rows = _rows(client.get(f"/api/v1/funds/summary/export.xlsx?node={tree.b.pk}&year={YEAR}", headers=headers))
    assert any(r[1] == "乡镇工会经费补助" for r in rows)
    assert client.get(f"/api/v1/funds/summary/export.xlsx?node={tree.d.pk}", headers=headers).status_code == 404


@pytest.mark.parametrize("payments", [1, 6])
def test_the_ledger_export_has_a_flat_query_count(tree, funds, payments, django_assert_max_num_queries):
    for i in range(payments):
        _paid(tree, funds, tree.b, f"职工{i}", amount="100")
    client = Client()
    client.force_login(tree.user("b_admin"))
    client.get(f"/funds/ledger/export.xlsx?node={tree.b.pk}&year={YEAR}")
    with django_assert_max_num_queries(14):
        assert client.get(f"/funds/ledger/export.xlsx?node={tree.b.pk}&year={YEAR}").status_code == 200
