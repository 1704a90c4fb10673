"""Hostile and disguised uploads: each is refused with a clear message and changes nothing."""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.members.models import Member
from gonghui.members.services import importing
from tests.data import make_samples as samples

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"), scopes_disabled():
        yield


def refused(tree, data: bytes, filename: str) -> importing.ImportRefused:
    before = (Member.objects.count(), AuditEntry.objects.count())
    with pytest.raises(importing.ImportRefused) as info:
        importing.import_roster(data=data, filename=filename, node=tree.c, actor=tree.user("b_clerk"))
    assert (Member.objects.count(), AuditEntry.objects.count()) == before
    assert info.value.message and info.value.message != info.value.code
    return info.value


@pytest.mark.parametrize("name, code, phrase", [
    ("fake_html.xlsx", "html", "web page"),
    ("fake_exe.xlsx", "program", "a program"),
    ("old_excel.xls", "xls", "save it as .xlsx"),
    ("word_document.xlsx", "not_xlsx", "not an Excel workbook"),
    ("billion_laughs.xlsx", "dtd", "document type declaration"),
    ("zip_bomb.xlsx", "zip_bomb", "unpacks to more than 300 MB"),
    ("zip_bomb_lying.xlsx", "zip_bomb", "more than it declares"),
])
def test_disguised_and_hostile_files_are_refused(tree, name, code, phrase):
    error = refused(tree, (DATA / name).read_bytes(), name)
    assert error.code == code and phrase in error.message


def test_billion_laughs_is_also_refused_by_the_xml_parser_itself():
    """Belt and braces: without our DTD check, openpyxl parses through defusedxml and refuses too."""
    with pytest.raises(importing.ImportRefused) as info:
        importing._read_with_openpyxl((DATA / "billion_laughs.xlsx").read_bytes(), importing.read_limits())
    assert info.value.code == "damaged"


def test_a_million_row_csv_is_refused_by_the_row_cap(tree):
    data = "姓名,身份证号\n".encode() + "张,1\n".encode() * 1_000_000
    error = refused(tree, data, "big.csv")
    assert error.code == "too_many_rows" and "200,000" in error.message


def _sheet_workbook(sheet_xml_chunks) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(samples._small_workbook())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with dst.open(item.filename, "w") as f:
                    for chunk in sheet_xml_chunks:
                        f.write(chunk)
            else:
                dst.writestr(item.filename, src.read(item.filename))
    return out.getvalue()


HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def test_a_million_row_xlsx_is_refused_while_streaming_without_trusting_its_dimension(tree):
    def rows():
        yield HEAD + b"<sheetData>"
        for start in range(1, 1_000_001, 50_000):
            yield b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i)
                           for i in range(start, start + 50_000))
        yield b"</sheetData></worksheet>"

    data = _sheet_workbook(rows())
    assert len(data) < importing.read_limits().max_bytes  # the size cap alone would let it through
    assert refused(tree, data, "big.xlsx").code == "too_many_rows"


def test_a_declared_million_row_dimension_is_refused_before_reading(tree):
    data = _sheet_workbook([HEAD + b'<dimension ref="A1:M1000000"/><sheetData></sheetData></worksheet>'])
    assert refused(tree, data, "big.xlsx").code == "too_many_rows"


def test_too_many_columns(tree):
    data = ("姓名,身份证号" + ",x" * 200 + "\n").encode()
    assert refused(tree, data, "wide.csv").code == "too_many_columns"


def test_the_size_cap(tree, settings):
    settings.GONGHUI_IMPORT_MAX_BYTES = 1000
    error = refused(tree, b"a,b\n" * 1000, "r.csv")
    assert error.code == "too_big"


@pytest.mark.parametrize("data, filename, code", [
    (b"", "r.csv", "empty"),
    (b"   \r\n", "r.xlsx", "empty"),
    ("姓名\0身份证号\n".encode(), "r.csv", "binary"),
    ("姓名,身份证号\n".encode("utf-16"), "r.csv", "binary"),
    (bytes(range(128, 256)) * 10, "r.csv", "encoding"),
    (b"%PDF-1.7\n...", "r.pdf", "pdf"),
    (b"just some text", "r.docx", "type"),
    (b"PK\x03\x04 not really a zip", "r.xlsx", "damaged"),
    ("标题\n这不是花名册,没有表头\n".encode(), "r.csv", "no_header"),
])
def test_other_bad_files(tree, data, filename, code):
    assert refused(tree, data, filename).code == code


def test_csv_in_utf8_without_bom_and_with_semicolons(tree):
    from tests.factories import resident_id

    data = f"姓名;身份证号;手机\n张三;{resident_id('19900101', 5)};13800001234\n".encode()
    result = importing.import_roster(data=data, filename="r.csv", node=tree.c, actor=tree.user("b_clerk"))
    assert result.counts["new"] == 1


def test_all_defects_mixed_in_one_file_leave_the_good_rows_only(tree):
    """Every defect of the defects roster, in a CSV in GBK with the enterprise roster's good rows."""
    enterprise = importing.parse_table(table=importing.read_table(data=(DATA / "roster_enterprise.xlsx").read_bytes(),
                                                            filename="e.xlsx"))
    lines = ["混合花名册", "填报单位：某某", "姓名,公民身份号码,性别,联系电话,学历,入会日期,就业形式,新就业形态类型,民族,户口性质"]
    for row in enterprise.rows[:10]:
        v = row.raw
        lines.append(",".join([v["name"], v["id_number"].replace(" ", ""), v["gender"], v["phone"], "本科",
                               "2020.1.1", "", "", "汉族", "农业"]))
    for _what, r in samples.defect_rows():
        if isinstance(r[1], float):
            continue  # a CSV has no number cells; the ID-as-number case is an xlsx one
        name, number, gender, eth, phone, edu, pol, hh, emp, nf, unit, joined = r
        lines.append(",".join(str(x) for x in [name, number, gender, phone, edu, joined, emp, nf, eth, hh]))
    lines.append("合计,,,,,")
    data = "\n".join(lines).encode("gbk")
    result = importing.import_roster(data=data, filename="mixed.csv", node=tree.c, actor=tree.user("b_clerk"))
    # 10 enterprise rows + the 6 good defect rows are new; 17 defect rows (all but the number-cell one) err.
    assert (result.counts["new"], result.counts["error_rows"]) == (16, 17)
