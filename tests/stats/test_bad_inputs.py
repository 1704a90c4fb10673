"""Bad input on every surface of statistics (page, xlsx, report, download, template, API, CLI):
a period that ends before it starts or lies in the future, a node outside the scope, a template
naming a figure that does not exist, a node without data. Each gets a clear answer and changes
nothing (no file, no audit entry, no template)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from gonghui.stats.models import ReportTemplate

from .test_views import _docx_text, client_for

REVERSED, FUTURE = "2025-03-31~2025-01-01", str(timezone.localdate().year + 1)
MESSAGES = {REVERSED: "统计期的结束日期早于开始日期。", FUTURE: "统计期尚未开始。"}


def _audits() -> int:
    return AuditEntry.objects.count()


@pytest.mark.parametrize("period", [REVERSED, FUTURE])
def test_a_bad_period_gets_its_reason_on_every_surface_and_nothing_is_written(known, period, tmp_path):
    client, before = client_for(known, "a_admin"), _audits()
    page = client.get(f"/stats/?node={known.a.pk}&period={period}")
    assert page.context["board"] is None and page.context["period_error"] == MESSAGES[period]
    assert MESSAGES[period] in page.content.decode()
    report = client.get(f"/stats/report/?node={known.a.pk}&period={period}")
    assert report.context["blocks"] is None and report.context["error"] == MESSAGES[period]
    for url in (f"/stats/export/?node={known.a.pk}&period={period}",
                f"/stats/report/download/?node={known.a.pk}&period={period}&format=docx"):
        response = client.get(url, follow=True)
        assert response.redirect_chain and "attachment" not in response.get("Content-Disposition", "")
        assert MESSAGES[period] in [str(m) for m in response.context["messages"]]
    api = client.get(f"/api/v1/stats/indicators?node={known.a.pk}&period={period}")
    assert api.status_code == 400 and api.json()["detail"] == MESSAGES[period]
    assert api.json()["code"] == ("period_reversed" if period == REVERSED else "period_future")
    with pytest.raises(CommandError, match=MESSAGES[period]):
        call_command("report", "--node", known.a.code, "--period", period, "--no-progress",
                     "--output", str(tmp_path / "r.docx"), stdout=StringIO())
    assert not list(tmp_path.iterdir())
    assert _audits() == before


def test_a_node_outside_the_scope_is_not_found_on_every_surface(known, tmp_path):
    client, before = client_for(known, "b_admin"), _audits()
    outside = known.d.pk  # township D, beside B
    for url in ("/stats/", "/stats/export/", "/stats/report/", "/stats/report/download/?format=docx",
                "/stats/report/download/?format=txt", "/stats/report/template/"):
        sep = "&" if "?" in url else "?"
        assert client.get(f"{url}{sep}node={outside}").status_code == 404, url
    posted = client.post(f"/stats/report/template/?node={outside}", {"node": outside, "text": "# {node}"})
    assert posted.status_code == 404
    assert client.get(f"/api/v1/stats/indicators?node={outside}").status_code == 404
    with pytest.raises(CommandError, match=known.d.code):
        call_command("report", "--node", known.d.code, "--as", "b_admin", "--no-progress",
                     "--output", str(tmp_path / "r.docx"), stdout=StringIO())
    assert not list(tmp_path.iterdir())
    assert not ReportTemplate.objects.with_scopes_disabled().exists()
    assert _audits() == before


def test_a_stored_template_naming_a_figure_no_longer_declared_is_refused_naming_it(known, tmp_path):
    """A template saved before a module dropped a figure: the report names it, nothing goes out broken."""
    with scopes_disabled():
        ReportTemplate.objects.create(node=Node.objects.get(pk=known.b.pk),
                                      text="# {node}\n会员{members.total}人，工会驿站{positions.kiosks}个。")
    client, before = client_for(known, "b_admin"), _audits()
    page = client.get(f"/stats/report/?node={known.c.pk}&period=2025")  # B's template applies below B
    assert page.status_code == 200 and page.context["blocks"] is None
    assert page.context["error"] == "模板中有不存在的数据项：{positions.kiosks}。"
    assert "{positions.kiosks}" in page.content.decode()
    download = client.get(f"/stats/report/download/?node={known.c.pk}&period=2025&format=docx", follow=True)
    assert "attachment" not in download.get("Content-Disposition", "")
    assert "模板中有不存在的数据项：{positions.kiosks}。" in [str(m) for m in download.context["messages"]]
    with pytest.raises(CommandError, match=r"\{positions\.kiosks\}"):
        call_command("report", "--node", known.b.code, "--period", "2025", "--no-progress",
                     "--output", str(tmp_path / "r.docx"), stdout=StringIO())
    assert not list(tmp_path.iterdir())
    assert _audits() == before
    # The xlsx table does not use the template: it still goes out.
    assert client.get(f"/stats/export/?node={known.c.pk}&period=2025")["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")


def test_a_node_without_data_gets_a_sensible_document_everywhere(known, tmp_path):
    with scopes_disabled():
        empty = orgs.create_node(parent=Node.objects.get(pk=known.b.pk), actor=None, name="城关镇新建工会",
                                 kind=NodeKind.ENTERPRISE)
    client = client_for(known, "b_admin")
    page = client.get(f"/stats/?node={empty.pk}&period=2025")
    assert page.status_code == 200
    board = page.context["board"]
    assert board.values["members.total"] == 0 and board.values["orgs.unions"] == 0 and board.children == []
    assert board.values["members.membership_rate"] is None  # nothing to divide by: no rate, not 0%
    said = "截至2025年12月31日，城关镇新建工会尚无可统计的工会组织、会员或其他业务记录，本期不生成数据报告。"
    docx = client.get(f"/stats/report/download/?node={empty.pk}&period=2025&format=docx")
    assert docx.status_code == 200
    assert _docx_text(docx.content).split("\n") == ["城关镇新建工会2025年工会工作情况报告", said]
    call_command("report", "--node", empty.code, "--period", "2025", "--format", "txt", "--no-progress",
                 "--output", str(tmp_path / "r.txt"), stdout=StringIO())
    assert said in (tmp_path / "r.txt").read_text()
    api = client.get(f"/api/v1/stats/indicators?node={empty.pk}&period=2025").json()
    assert {f["key"]: f["value"] for f in api["figures"]}["members.total"] == 0 and api["children"] == []
