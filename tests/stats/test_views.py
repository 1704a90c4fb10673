"""The dashboard, its export, the work report and the API on the known tree (conftest)."""

import io
import zipfile
from xml.etree import ElementTree

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.accounts.permissions import requires_totp
from gonghui.core.models import AuditEntry
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from gonghui.stats.models import ReportTemplate


def client_for(tree, username) -> Client:
    """Signed in, with the second factor done when the account needs one (county admins)."""
    user = tree.user(username)
    client = Client()
    client.force_login(user)
    if requires_totp(user):
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def test_dashboard_shows_the_figures_of_the_node_and_period(known):
    response = client_for(known, "a_admin").get(f"/stats/?node={known.b.pk}&period=2025")
    assert response.status_code == 200
    board = response.context["board"]
    assert board.values["members.total"] == 5 and board.values["orgs.unions"] == 3
    names = [child.name for child, _cells, _values in board.children if child]
    assert names == ["青山精密机械有限公司工会", "城关镇快递员工会"]
    html = response.content.decode()
    assert "members/?node=" in html.replace("%2F", "/") or "/members/" in html  # figures link to the roster


def test_a_viewer_sees_figures_but_no_links_to_the_roster_they_may_not_open(known):
    response = client_for(known, "b_viewer").get("/stats/?period=2025")
    assert response.status_code == 200
    board = response.context["board"]
    assert board.node.pk == known.b.pk
    members = next(f for area in board.areas for f in area.figures if f.indicator.key == "members.total")
    assert members.value == 5 and members.url is None
    ledger = next(f for area in board.areas for f in area.figures if f.indicator.key == "orgs.employers")
    assert ledger.url == f"/orgs/ledger/?node={known.b.pk}"


def test_every_linked_list_counts_what_the_figure_says(known):
    """Follow each figure's link as the county admin: the list holds as many records as the figure."""
    client = client_for(known, "a_admin")
    board = client.get(f"/stats/?node={known.a.pk}").context["board"]
    checked = 0
    for area in board.areas:
        for f in area.figures:
            if f.url and ("members/" in f.url or "ledger/" in f.url):
                page = client.get(f.url).context["page"]
                assert page.paginator.count == f.value, f.indicator.key
                checked += 1
    assert checked >= 5


def test_a_node_outside_the_scope_is_not_found(known):
    assert client_for(known, "b_admin").get(f"/stats/?node={known.d.pk}").status_code == 404
    assert client_for(known, "b_admin").get("/stats/?node=abc").status_code == 404


@pytest.mark.parametrize("period", ["2025-03-31~2025-01-01", "2099", "2025Q7"])
def test_a_bad_period_is_explained_and_nothing_is_computed(known, period):
    response = client_for(known, "a_admin").get(f"/stats/?node={known.a.pk}&period={period}")
    assert response.status_code == 200 and response.context["board"] is None
    assert response.context["period_error"]


def _query_budget() -> int:
    """Fixed whatever the number of children: each source and custom figure is read for the period,
    a year earlier and the children (and the trend), each breakdown once, plus the page's own reads.
    It grows with the modules' declarations, never with the tree."""
    from gonghui.core import indicators as registry

    computed = sum(1 for i in registry.all_indicators() if i.compute is not None)
    return 4 * (len(registry._registry.sources) + computed) + len(registry.all_breakdowns()) + 30


def test_the_dashboard_costs_the_same_queries_whatever_the_number_of_children(known, django_assert_max_num_queries):
    client = client_for(known, "a_admin")
    client.get(f"/stats/?node={known.b.pk}&period=2025")  # warm the session and the role cache
    with django_assert_max_num_queries(_query_budget()) as few:  # sources × (now, a year earlier, children) + trend …
        client.get(f"/stats/?node={known.b.pk}&period=2025")
    with scopes_disabled():
        parent = Node.objects.get(pk=known.b.pk)
        for n in range(25):
            orgs.create_node(parent=Node.objects.get(pk=parent.pk), actor=None, name=f"城关镇第{n}企业工会",
                             kind=NodeKind.ENTERPRISE, worker_count=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"/stats/?node={known.b.pk}&period=2025")
    assert len([child for child, _cells, _values in response.context["board"].children if child]) == 27


def test_console_home_of_viewers_and_admins_is_the_dashboard(known):
    assert client_for(known, "b_viewer").get("/console/").context["board"].node.pk == known.b.pk
    clerk = client_for(known, "b_clerk").get("/console/")
    assert clerk.context.get("board") is None and clerk.context["roots"]


def test_xlsx_table_is_formatted_audited_and_formula_safe(known):
    with scopes_disabled():
        Node.objects.filter(pk=known.c.pk).update(name="=HYPERLINK(\"http://x\")工会")
    before = AuditEntry.objects.count()
    response = client_for(known, "b_admin").get(f"/stats/export/?node={known.b.pk}&period=2025")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c.value for row in book.active.iter_rows() for c in row if c.value is not None]
    assert "'=HYPERLINK(\"http://x\")工会" in cells and not any(str(c).startswith("=") for c in cells)
    assert 5 in cells  # members at the end of 2025
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-seq").first().action == "stats.table.exported"


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        root = ElementTree.fromstring(z.read("word/document.xml"))  # noqa: S314 - our own output
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "\n".join("".join(t.text or "" for t in p.iter(f"{ns}t")) for p in root.iter(f"{ns}p"))


def test_work_report_reads_like_a_union_summary_in_page_and_docx(known):
    client = client_for(known, "a_admin")
    page = client.get(f"/stats/report/?node={known.a.pk}&period=2025")
    text = "\n".join(b.text for b in page.context["blocks"])
    assert "截至2025年12月31日，青山县总工会所辖共有各级工会组织5个，其中基层工会2个；会员6人，比上年同期增加2人，增长50.0%。" in text
    assert "建会率60.0%" in text and "入会率2.4%" in text
    docx = client.get(f"/stats/report/download/?node={known.a.pk}&period=2025&format=docx")
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    body = _docx_text(docx.content)
    assert body.startswith("青山县总工会2025年工会工作情况报告") and "一、组织建设" in body
    assert AuditEntry.objects.order_by("-seq").first().action == "stats.report.exported"
    txt = client.get(f"/stats/report/download/?node={known.a.pk}&period=2025&format=txt").content.decode()
    assert "女职工会员3人" in txt


def test_a_report_for_a_node_without_data_says_so(known):
    with scopes_disabled():
        empty = orgs.create_node(parent=Node.objects.get(pk=known.b.pk), actor=None, name="城关镇新建工会",
                                 kind=NodeKind.ENTERPRISE)
    response = client_for(known, "b_admin").get(f"/stats/report/?node={empty.pk}&period=2025")
    text = " ".join(b.text for b in response.context["blocks"])
    assert "尚无可统计" in text


def test_template_with_an_unknown_placeholder_is_refused_naming_it(known):
    client = client_for(known, "b_admin")
    response = client.post(f"/stats/report/template/?node={known.b.pk}",
                           {"node": known.b.pk, "text": "# {node}\n会员{members.totl}人，{bogus:change}。"})
    assert response.status_code == 200
    assert "{members.totl}" in response.context["error"] and "{bogus:change}" in response.context["error"]
    assert not ReportTemplate.objects.with_scopes_disabled().exists()


def test_an_admin_edits_the_template_and_the_report_follows_it(known):
    client = client_for(known, "b_admin")
    response = client.post(f"/stats/report/template/?node={known.b.pk}",
                           {"node": known.b.pk, "text": "# {node}简报\n本镇会员{members.total:exact}人。"})
    assert response.status_code == 302
    report = client.get(f"/stats/report/?node={known.c.pk}&period=2025")  # the township's template applies below
    blocks = report.context["blocks"]
    assert [b.text for b in blocks if b.kind != "cover"] == ["青山精密机械有限公司工会简报", "本镇会员3人。"]
    assert [b.text for b in blocks if b.kind == "cover"] == ["青山精密机械有限公司工会（2025年1月1日至12月31日）"]
    assert client_for(known, "b_viewer").post(f"/stats/report/template/?node={known.b.pk}",
                                              {"node": known.b.pk, "text": "x"}).status_code == 403


def test_api_gives_the_same_numbers_as_the_dashboard(known):
    client = client_for(known, "a_admin")
    board = client.get(f"/stats/?node={known.a.pk}&period=2025").context["board"]
    data = client.get(f"/api/v1/stats/indicators?node={known.a.pk}&period=2025").json()
    figures = {f["key"]: f["value"] for f in data["figures"]}
    assert figures["members.total"] == board.values["members.total"] == 6
    assert figures["orgs.unionization_rate"] == "60.0"
    assert data["as_of"] == "2025-12-31" and data["previous_period"] == "2024"
    assert {c["name"]: c["values"]["members.total"] for c in data["children"]}["城关镇总工会"] == 5


def test_api_refuses_a_bad_period_and_a_node_outside_the_scope(known):
    client = client_for(known, "b_admin")
    bad = client.get(f"/api/v1/stats/indicators?node={known.b.pk}&period=2025-12-01~2025-01-01")
    assert bad.status_code == 400 and bad.json()["code"] == "period_reversed"
    assert client.get(f"/api/v1/stats/indicators?node={known.d.pk}").status_code == 404


def test_api_query_count_does_not_grow_with_children(known, django_assert_max_num_queries):
    client = client_for(known, "a_admin")
    client.get(f"/api/v1/stats/indicators?node={known.b.pk}")
    with django_assert_max_num_queries(_query_budget()) as few:
        client.get(f"/api/v1/stats/indicators?node={known.b.pk}")
    with scopes_disabled():
        for n in range(20):
            orgs.create_node(parent=Node.objects.get(pk=known.b.pk), actor=None, name=f"城关镇第{n}企业工会",
                             kind=NodeKind.ENTERPRISE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        children = client.get(f"/api/v1/stats/indicators?node={known.b.pk}").json()["children"]
    assert len([c for c in children if c["node_id"]]) == 22
