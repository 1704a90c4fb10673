"""Console pages of the tree and the ledger: scope, permissions, bad input, export, query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.core import pinyin
from gonghui.core.models import AuditEntry
from gonghui.orgs import services
from gonghui.orgs.models import Employer, NodeKind, NodeStatus, Sector
from tests.factories import credit_code, make_employer

from .helpers import fresh, snapshot


@pytest.fixture
def as_user(client, tree):
    def login(name):
        client.force_login(tree.user(name))
        return client
    return login


def _zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def _employer_post(node, **overrides):
    data = {"node": node.pk, "name": "青山物流有限公司", "credit_code": credit_code(), "sector": Sector.LOGISTICS,
            "employee_count": "80", "union": "", "address": "青山县城关镇工业路1号", "notes": ""}
    data.update(overrides)
    return data


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- tree, children, search, detail --------------------------------------------------------------

def test_the_tree_starts_at_the_top_of_the_cadres_scope(as_user, tree):
    page = as_user("b_admin").get(reverse("orgs:tree")).content.decode()
    assert "城关镇总工会" in page and "青山县总工会" not in page and "河口镇总工会" not in page


def test_children_fragment_lists_children_and_hides_other_subtrees(as_user, tree):
    client = as_user("b_admin")
    page = client.get(reverse("orgs:children", args=[tree.b.pk])).content.decode()
    assert "青山精密机械有限公司工会" in page
    assert client.get(reverse("orgs:children", args=[tree.d.pk])).status_code == 404
    assert client.get(reverse("orgs:children", args=[tree.a.pk])).status_code == 404


@pytest.mark.parametrize("query", ["精密", "qsjm", "QSJMJX", "qingshanjingmi"])
def test_search_by_name_or_pinyin(as_user, tree, query):
    page = as_user("b_admin").get(reverse("orgs:search"), {"q": query}).content.decode()
    assert "青山精密机械有限公司工会" in page


def test_search_never_reaches_outside_the_scope(as_user, tree):
    page = as_user("b_admin").get(reverse("orgs:search"), {"q": "hkz"}).content.decode()
    assert "河口镇总工会" not in page
    page = as_user("b_admin").get(reverse("orgs:search"), {"q": "河口"}).content.decode()
    assert "河口镇总工会" not in page


def test_node_detail_shows_figures_and_history_and_404s_outside_scope(as_user, tree):
    client = as_user("b_admin")
    page = client.get(reverse("orgs:node", args=[tree.b.pk])).content.decode()
    assert "城关镇总工会" in page and "青山精密机械有限公司工会" in page
    assert reverse("orgs:node_move", args=[tree.b.pk]) in page  # an admin gets the tree actions
    assert client.get(reverse("orgs:node", args=[tree.d.pk])).status_code == 404
    assert client.get(reverse("orgs:node", args=[999999])).status_code == 404


def test_a_clerk_sees_no_tree_actions(as_user, tree):
    page = as_user("b_clerk").get(reverse("orgs:node", args=[tree.b.pk])).content.decode()
    assert reverse("orgs:node_move", args=[tree.b.pk]) not in page


def test_node_detail_query_count_does_not_grow_with_the_subtree(as_user, tree):
    client = as_user("b_admin")
    url = reverse("orgs:node", args=[tree.b.pk])
    _queries(client, url)  # the session's first request may refresh the session; count a warm one
    few = _queries(client, url)
    with scopes_disabled():
        for i in range(20):
            child = services.create_node(parent=fresh(tree.b), actor=None, name=f"企业{i}工会", kind=NodeKind.ENTERPRISE)
            make_employer(fresh(child), union=child)
    assert _queries(client, url) == few


# --- move / merge / dissolve through the console -----------------------------------------------

def test_a_clerk_cannot_move_merge_or_dissolve(as_user, tree):
    client = as_user("b_clerk")
    before = snapshot()
    for name, data in [("orgs:node_move", {"new_parent": tree.b.pk}), ("orgs:node_merge", {"target": tree.b.pk}),
                       ("orgs:node_dissolve", {"reason": "撤销"})]:
        url = reverse(name, args=[tree.c.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, data).status_code == 403
    assert client.post(reverse("orgs:node_create", args=[tree.b.pk]),
                       {"name": "新工会", "kind": NodeKind.ENTERPRISE}).status_code == 403
    assert snapshot() == before


def test_moving_under_a_descendant_shows_the_chinese_error_and_changes_nothing(as_user, tree):
    client = as_user("b_admin")
    before = snapshot()
    response = client.post(reverse("orgs:node_move", args=[tree.b.pk]), {"new_parent": tree.c.pk})
    assert response.status_code == 200
    assert "工会不能调整到自身或其下级工会之下。" in response.content.decode()
    assert snapshot() == before


def test_dissolving_with_active_children_shows_the_chinese_error(as_user, tree):
    before = snapshot()
    response = as_user("b_admin").post(reverse("orgs:node_dissolve", args=[tree.b.pk]), {"reason": "撤并"})
    assert "撤销本工会前，请先调整、合并或撤销其下级工会。" in response.content.decode()
    assert snapshot() == before


def test_an_admin_dissolves_a_leaf_union(as_user, tree):
    response = as_user("b_admin").post(reverse("orgs:node_dissolve", args=[tree.c.pk]), {"reason": "企业注销"})
    assert response.status_code == 302
    assert fresh(tree.c).status == NodeStatus.DISSOLVED


def test_moving_to_a_union_outside_the_scope_is_not_found_and_changes_nothing(as_user, tree):
    before = snapshot()
    response = as_user("b_admin").post(reverse("orgs:node_move", args=[tree.c.pk]), {"new_parent": tree.d.pk})
    assert response.status_code == 404
    assert snapshot() == before


# --- ledger list and export --------------------------------------------------------------------

@pytest.fixture
def ledger_rows(tree):
    with scopes_disabled():
        rows = {
            "unionized": make_employer(tree.c, name="青山精密机械有限公司", union=tree.c, employees=150),
            "open": make_employer(tree.b, name="城关快递服务站", sector=Sector.LOGISTICS, employees=12),
            "other": make_employer(tree.d, name="河口建材有限公司", employees=60),
        }
        for employer in rows.values():  # the factory writes directly; the services set pinyin
            Employer.objects.filter(pk=employer.pk).update(pinyin_initials=pinyin.initials(employer.name))
        return rows


def test_ledger_lists_only_the_scope_and_filters(as_user, tree, ledger_rows):
    client = as_user("b_clerk")
    page = client.get(reverse("orgs:ledger")).content.decode()
    assert "青山精密机械有限公司" in page and "城关快递服务站" in page and "河口建材有限公司" not in page
    page = client.get(reverse("orgs:ledger"), {"unionized": "0"}).content.decode()
    assert "城关快递服务站" in page and "青山精密机械有限公司" not in page
    page = client.get(reverse("orgs:ledger"), {"sector": Sector.LOGISTICS}).content.decode()
    assert "城关快递服务站" in page and "青山精密机械有限公司" not in page
    page = client.get(reverse("orgs:ledger"), {"q": "cgkd"}).content.decode()
    assert "城关快递服务站" in page and "青山精密机械有限公司" not in page
    page = client.get(reverse("orgs:ledger"), {"q": ledger_rows["open"].credit_code}).content.decode()
    assert "城关快递服务站" in page and "青山精密机械有限公司" not in page
    assert client.get(reverse("orgs:ledger"), {"node": tree.d.pk}).status_code == 404


def test_ledger_pages_keep_the_filters(as_user, tree):
    with scopes_disabled():
        for i in range(60):
            make_employer(tree.b, name=f"城关物流{i:02d}公司", sector=Sector.LOGISTICS)
    page = as_user("b_clerk").get(reverse("orgs:ledger"), {"sector": Sector.LOGISTICS, "q": "城关"}).content.decode()
    assert "page=2" in page and f"sector={Sector.LOGISTICS}" in page.split("page=2")[0].rsplit("href", 1)[-1]


def test_ledger_query_count_does_not_grow_with_rows(as_user, tree):
    client = as_user("b_clerk")
    url = reverse("orgs:ledger")
    with scopes_disabled():
        make_employer(tree.b, union=tree.c)
    _queries(client, url)  # a warm session
    few = _queries(client, url)
    with scopes_disabled():
        for i in range(40):
            make_employer(tree.c if i % 2 else tree.b, union=tree.c if i % 3 else None)
    assert _queries(client, url) == few


def test_export_is_an_xlsx_with_the_scope_only_escaped_and_audited(as_user, tree, ledger_rows):
    with scopes_disabled():
        Employer.objects.filter(pk=ledger_rows["open"].pk).update(notes="=HYPERLINK(\"http://x\")\x0b备注")
    response = as_user("b_viewer").get(reverse("orgs:ledger_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    names = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert sorted(names) == ["城关快递服务站", "青山精密机械有限公司"]
    notes = [ws.cell(r, 9).value for r in range(2, ws.max_row + 1)]
    assert "'=HYPERLINK(\"http://x\")备注" in notes
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    entry = AuditEntry.objects.filter(action="orgs.ledger.exported").get()
    assert entry.data["rows"] == 2 and entry.actor_id == str(tree.user("b_viewer").pk)


def test_export_of_another_subtree_is_not_found(as_user, tree, ledger_rows):
    assert as_user("b_admin").get(reverse("orgs:ledger_export"), {"node": tree.d.pk}).status_code == 404
    assert not AuditEntry.objects.filter(action="orgs.ledger.exported").exists()


# --- employer create / edit --------------------------------------------------------------------

def test_a_clerk_adds_an_employer(as_user, tree):
    data = _employer_post(tree.b, union=tree.c.pk)
    response = as_user("b_clerk").post(reverse("orgs:employer_create"), data)
    assert response.status_code == 302
    with scopes_disabled():
        employer = Employer.objects.get(credit_code=data["credit_code"])
    assert employer.node_id == tree.b.pk and employer.union_id == tree.c.pk


@pytest.mark.parametrize("overrides, message", [
    ({"credit_code": "91330521MA2ABCDE01"}, "信用代码校验位错误，请核对。"),
    ({"credit_code": "9133052"}, "统一社会信用代码应为18位。"),
    ({"employee_count": "-5"}, "确保该值大于或等于0。"),
    ({"employee_count": "很多"}, "输入整数。"),
    ({"name": "青山\u202e物流"}, "名称包含不可见字符或控制字符。"),
    ({"name": "青山\x07物流"}, "名称包含不可见字符或控制字符。"),
    ({"name": "<script>alert(1)</script>"}, "名称不能包含 < 或 > 等标记符号。"),
])
def test_bad_employer_input_gets_a_chinese_error_and_changes_nothing(as_user, tree, overrides, message):
    before = snapshot()
    response = as_user("b_clerk").post(reverse("orgs:employer_create"), _employer_post(tree.b, **overrides))
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert snapshot() == before


def test_a_duplicate_credit_code_gets_a_chinese_error(as_user, tree):
    with scopes_disabled():
        other = make_employer(tree.d)  # outside the clerk's scope: still a duplicate
    before = snapshot()
    response = as_user("b_clerk").post(reverse("orgs:employer_create"),
                                       _employer_post(tree.b, credit_code=other.credit_code.lower()))
    assert "台账中已有该信用代码的用人单位。" in response.content.decode()
    assert snapshot() == before


def test_a_union_outside_the_scope_cannot_be_chosen(as_user, tree):
    before = snapshot()
    response = as_user("b_clerk").post(reverse("orgs:employer_create"), _employer_post(tree.b, union=tree.d.pk))
    assert response.status_code == 200
    assert _zh("Choose an active union within your jurisdiction.") in response.content.decode()
    assert snapshot() == before


def test_a_dissolved_union_cannot_be_chosen(as_user, tree):
    as_user("b_admin").post(reverse("orgs:node_dissolve", args=[tree.c.pk]), {"reason": "注销"})
    before = snapshot()
    response = as_user("b_clerk").post(reverse("orgs:employer_create"), _employer_post(tree.b, union=tree.c.pk))
    assert _zh("Choose an active union within your jurisdiction.") in response.content.decode()
    assert snapshot() == before


def test_a_jurisdiction_outside_the_scope_is_not_found(as_user, tree):
    before = snapshot()
    assert as_user("b_clerk").post(reverse("orgs:employer_create"), _employer_post(tree.d)).status_code == 404
    assert snapshot() == before


def test_a_viewer_cannot_add_or_edit(as_user, tree):
    with scopes_disabled():
        employer = make_employer(tree.b)
    before = snapshot()
    client = as_user("b_viewer")
    assert client.get(reverse("orgs:employer_create"), {"node": tree.b.pk}).status_code == 403
    assert client.post(reverse("orgs:employer_create"), _employer_post(tree.b)).status_code == 403
    url = reverse("orgs:employer_edit", args=[employer.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _employer_post(tree.b, credit_code=employer.credit_code)).status_code == 403
    assert snapshot() == before


def test_a_clerk_edits_an_employer_and_links_its_new_union(as_user, tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
    data = _employer_post(tree.b, name=employer.name, credit_code=employer.credit_code, employee_count="35",
                          union=tree.c.pk)
    response = as_user("b_clerk").post(reverse("orgs:employer_edit", args=[employer.pk]), data)
    assert response.status_code == 302
    with scopes_disabled():
        employer.refresh_from_db()
    assert employer.employee_count == 35 and employer.union_id == tree.c.pk
    assert AuditEntry.objects.filter(action="orgs.employer.updated").count() == 1


def test_editing_to_an_existing_credit_code_is_refused(as_user, tree):
    with scopes_disabled():
        first, second = make_employer(tree.b), make_employer(tree.c)
    before = snapshot()
    response = as_user("b_clerk").post(reverse("orgs:employer_edit", args=[second.pk]),
                                       _employer_post(tree.b, name=second.name, credit_code=first.credit_code))
    assert "台账中已有该信用代码的用人单位。" in response.content.decode()
    assert snapshot() == before


def test_an_employer_outside_the_scope_is_not_found(as_user, tree):
    with scopes_disabled():
        other = make_employer(tree.d)
    client = as_user("b_admin")
    assert client.get(reverse("orgs:employer", args=[other.pk])).status_code == 404
    assert client.post(reverse("orgs:employer_edit", args=[other.pk]),
                       _employer_post(tree.d, credit_code=other.credit_code)).status_code == 404


def test_staff_page_names_the_kind_of_each_target(as_user, tree):
    import datetime

    from gonghui.orgs.models import StaffKind

    from .helpers import acting

    with acting(tree.user("b_admin")) as user:
        services.set_staff_target(node=fresh(tree.b), actor=user, year=timezone.localdate().year,
                                  kind=StaffKind.SOCIALIZED, target=1)
        services.add_staff(node=fresh(tree.c), actor=user, name="王五", kind=StaffKind.SOCIALIZED,
                           started_on=datetime.date(2024, 3, 1), phone="138 0013 8000")
    page = as_user("b_admin").get(reverse("orgs:staff", args=[tree.b.pk])).content.decode()
    assert _zh("Socialized union worker") in page.split("<table>")[1]
    assert "王五" in page and "13800138000" not in page
