"""Import from xlsx: every row checked; all rows written or none, with errors by row and column."""

import io
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from gonghui.core.errors import DomainError
from gonghui.positions import coordinates
from gonghui.positions.models import Position
from gonghui.positions.services import importing

pytestmark = pytest.mark.usefixtures("unscoped")
HEADER = ["所属工会", "名称", "类型", "级别", "地址", "纬度", "经度", "坐标系", "开放时间", "节假日闭馆", "服务设施", "联系人",
          "联系电话"]


def sheet(rows, header=HEADER, title_rows=1) -> bytes:
    wb = Workbook()
    ws = wb.active
    for _ in range(title_rows):
        ws.append(["青山县服务阵地台账（2026年）"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good_row(tree, name="人民路户外劳动者驿站", **kw):
    row = [tree.c.code, name, "工会驿站", "", "青山县城关镇人民路88号", "30.871200", "119.943300", "WGS-84",
           "周一至周五 07:00-19:00；周六、周日 08:00-18:00", "是", "饮用水/热水、手机充电、卫生间", "王丽", "0572-1234567"]
    for index, value in kw.items():
        row[int(index[1:])] = value
    return row


def test_good_rows_are_all_created(tree):
    gcj = coordinates.wgs84_to_gcj02(30.8800, 119.9500)
    data = sheet([good_row(tree), good_row(tree, "新桥职工之家", c2="职工之家", c3="县级", c5=f"{gcj[0]:.6f}",
                                            c6=f"{gcj[1]:.6f}", c7="高德", c8="24小时")])
    outcome = importing.import_positions(data=data, filename="positions.xlsx", actor=tree.user("b_clerk"))
    assert not outcome.errors and len(outcome.created) == 2
    home = Position.objects.get(name="新桥职工之家")
    assert home.kind == "workers_home" and home.level == "county" and home.open_24h
    assert coordinates.haversine_m(float(home.lat), float(home.lng), 30.88, 119.95) < 0.2
    station = Position.objects.get(name="人民路户外劳动者驿站")
    assert station.closed_on_holidays and station.amenities == ["hot_water", "phone_charging", "toilet"]
    assert station.hours["5"] == [["08:00", "18:00"]]


def test_one_bad_row_writes_nothing_and_every_error_is_reported(tree):
    data = sheet([
        good_row(tree),
        good_row(tree, "坐标颠倒驿站", c5="119.9433", c6="30.8712"),
        good_row(tree, "时间重叠驿站", c8="周一 08:00-12:00,11:00-13:00"),
        good_row(tree, "设施不对驿站", c10="卡拉OK"),
        good_row(tree, "河口驿站", c0=tree.d.code),          # outside the clerk's scope
        good_row(tree, "人民路户外劳动者驿站"),               # twice in the file
    ])
    outcome = importing.import_positions(data=data, filename="positions.xlsx", actor=tree.user("b_clerk"))
    assert not Position.objects.exists()
    by_row = {(e.row, e.column) for e in outcome.errors}
    assert {(4, "纬度"), (5, "开放时间"), (6, "服务设施"), (7, "依托工会"), (8, "名称")} <= by_row
    report = load_workbook(io.BytesIO(importing.build_error_report(errors=outcome.errors, exported_by="b_clerk")))
    assert report.active.max_row == len(outcome.errors) + 1


def test_a_file_that_is_not_a_spreadsheet_is_refused(tree):
    with pytest.raises(DomainError):
        importing.import_positions(data=b"MZ\x90\x00binary", filename="positions.xlsx", actor=tree.user("b_clerk"))
    with pytest.raises(DomainError) as exc:
        importing.import_positions(data=sheet([good_row(tree)], header=["甲", "乙"]), filename="p.xlsx",
                                   actor=tree.user("b_clerk"))
    assert exc.value.code == "no_header"


def test_console_import_shows_errors_then_imports(tree, client):
    client.force_login(tree.user("b_admin"))
    url = reverse("positions:import") + f"?node={tree.b.pk}"
    bad = io.BytesIO(sheet([good_row(tree, c5="abc")]))
    bad.name = "bad.xlsx"
    body = client.post(url, {"file": bad, "system": "wgs84", "node": tree.b.pk}).content.decode()
    assert "未导入任何数据" in body and not Position.objects.exists()
    errors = client.get(reverse("positions:import_errors"))
    assert errors.status_code == 200 and errors["Content-Type"].startswith("application/vnd.openxmlformats")
    good = io.BytesIO(sheet([good_row(tree)]))
    good.name = "good.xlsx"
    response = client.post(url, {"file": good, "system": "wgs84", "node": tree.b.pk})
    assert response.status_code == 302
    with scopes_disabled():
        assert Position.objects.count() == 1


def test_template_downloads(tree, client):
    client.force_login(tree.user("b_admin"))
    response = client.get(reverse("positions:import_template"))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]][:3] == ["所属工会", "名称", "类型"]


def test_a_long_file_name_is_kept_in_the_audit_record_shortened_visibly(tree):
    from gonghui.core.models import AuditEntry

    long_name = "服务阵地台账" * 25 + ".xlsx"  # 155 characters
    outcome = importing.import_positions(data=sheet([good_row(tree)]), filename=long_name, actor=tree.user("b_clerk"))
    assert not outcome.errors
    entry = AuditEntry.objects.get(action="positions.position.imported")
    assert len(entry.data["file"]) == 100
    assert entry.data["file"].startswith("服务阵地台账") and entry.data["file"].endswith("….xlsx")


def test_the_import_page_says_when_it_lists_only_the_first_problems_and_the_report_has_them_all(tree, client,
                                                                                                 monkeypatch):
    from gonghui.positions.views import positions as views

    monkeypatch.setattr(views, "IMPORT_ERRORS_LISTED", 3)
    client.force_login(tree.user("b_admin"))
    url = reverse("positions:import") + f"?node={tree.b.pk}"
    bad = io.BytesIO(sheet([good_row(tree, f"第{n}号驿站", c5="abc") for n in "一二三四五"]))
    bad.name = "bad.xlsx"
    body = client.post(url, {"file": bad, "system": "wgs84", "node": tree.b.pk}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    total = int(re.search(r"Showing the first 3 of (\d+) problems", body).group(1))
    assert total >= 5 and body.count("<td>abc</td>") <= 3
    report = load_workbook(io.BytesIO(client.get(reverse("positions:import_errors")).content)).active
    rows = {row[0] for row in report.iter_rows(values_only=True) if row and "abc" in row}
    assert len(rows) == 5  # every bad row is in the report, past the three listed
    assert not Position.objects.exists()
