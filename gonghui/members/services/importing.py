"""Roster import (花名册导入): read a spreadsheet as real rosters come, validate every row with the
roster's own rules, upsert the good rows by ID number, and report the others.

Rules enforced here, for the console and the command line alike:
- only clerks and admins over the target node import into it (``actor=None`` is the operator at the
  command line, who already holds the database);
- only a real xlsx or csv is read, within caps on bytes, rows, columns and unpacked size; every zip
  member is inflated here first, counting the bytes it really produces and refusing any DTD, before
  a spreadsheet parser sees it (zip bombs, lying headers, billion laughs);
- every row is checked by the console's validation (``clean_person``, ``clean_member_fields``,
  ``check_join_age``); a bad row is reported (row, column, value, reason) and the good rows go in;
- one person, one membership: an ID active in the target's subtree is updated in place, only the
  fields the file gives and that differ (re-importing a file changes nothing); an ID active in
  another union is an error row naming it, never a silent move; the second occurrence of an ID in
  the file is an error naming the first;
- one transaction, bulk writes, a history event per new or changed member, and one audit record
  per import holding counts only.

Speed: 100,000 rows in seconds. ``build_member`` costs ~0.6 ms a row (its validation builds every
message eagerly, pypinyin segments each name), so this module calls the same validation functions,
caches the per-value checks (education, ethnicity … have a handful of distinct values), and
assembles the member the way ``build_member`` does; a test holds the two to the same result.
"""

import codecs
import csv
import dataclasses
import datetime
import hashlib
import io
import json
import os
import re
import secrets
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from pathlib import Path

from cryptography.exceptions import InvalidTag
from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style
from pypinyin import pinyin as _pinyin_readings

from gonghui.accounts.permissions import require_role
from gonghui.core import crypto, pinyin
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.fields import BlindIndexField
from gonghui.core.phones import normalize_mobile
from gonghui.core.scoping import scopes_disabled
from gonghui.core.xlsx import build_workbook

from ..models import EmploymentForm, Member, MemberEvent, MemberStatus, Source
from ..validation import check_join_age, clean_member_fields, clean_person
from .roster import EDITABLE, WRITERS, conflict_error, id_hash, new_card_number, phone_hash

MB = 1024 * 1024
HEADER_SEARCH_ROWS = 30
BATCH = 2000

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class ImportRefused(DomainError):
    """The file as a whole cannot be imported (type, size, damage, no header). Nothing was changed."""


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked: int
    max_zip_members: int


def limits() -> Limits:
    return Limits(
        max_bytes=getattr(settings, "GONGHUI_IMPORT_MAX_BYTES", 50 * MB),
        max_rows=getattr(settings, "GONGHUI_IMPORT_MAX_ROWS", 200_000),
        max_columns=getattr(settings, "GONGHUI_IMPORT_MAX_COLUMNS", 100),
        max_unpacked=getattr(settings, "GONGHUI_IMPORT_MAX_UNPACKED_BYTES", 300 * MB),
        max_zip_members=getattr(settings, "GONGHUI_IMPORT_MAX_ZIP_MEMBERS", 1000),
    )


# --- reading: bytes -> rows of cells ------------------------------------------------------------

@dataclasses.dataclass
class Table:
    kind: str  # "xlsx" or "csv"
    rows: list[list]  # rows[i] is the file's row i + 1
    sheet: str = ""


def _refuse_too_many_rows(lim: Limits):
    return ImportRefused("too_many_rows", _("The file has more than %(n)s rows; split it into files of at most "
                                            "%(n)s rows each.") % {"n": f"{lim.max_rows:,}"})


def _refuse_too_many_columns(lim: Limits):
    return ImportRefused("too_many_columns", _("The file has more than %(n)d columns, which no roster has.")
                         % {"n": lim.max_columns})


_PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"#!")


def read_table(data: bytes, *, filename: str) -> Table:
    """Recognize the file by its content (the name can lie) and read its cells."""
    lim = limits()
    if len(data) > lim.max_bytes:
        raise ImportRefused("too_big", _("The file is larger than %(mb)d MB; split it into several files.")
                            % {"mb": lim.max_bytes // MB})
    if not data.strip():
        raise ImportRefused("empty", _("The file is empty."))
    ext = os.path.splitext(filename.lower())[1]
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, lim)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportRefused("xls", _("This is an Excel 97-2003 (.xls) or password-protected workbook; open it in "
                                     "Excel or WPS and save it as .xlsx without a password."))
    if head.startswith(_PROGRAM_MAGIC):
        raise ImportRefused("program", _("This file is a program, not a spreadsheet, and was refused."))
    if re.match(rb"(\xef\xbb\xbf)?\s*<(!doctype html|html|head|body|table|\?xml)", head, re.IGNORECASE):
        raise ImportRefused("html", _("This file is a web page saved under a spreadsheet name, not a real "
                                      "spreadsheet; open it in Excel or WPS and save it as .xlsx."))
    if head.startswith(b"%PDF"):
        raise ImportRefused("pdf", _("This file is a PDF, not a spreadsheet; import the .xlsx or .csv roster."))
    if ext in (".xlsx", ".xlsm", ".xls", ".et"):
        raise ImportRefused("not_xlsx", _("This file has a spreadsheet name but is not an Excel workbook; open it "
                                          "in Excel or WPS and save it as .xlsx."))
    if ext not in (".csv", ".txt"):
        raise ImportRefused("type", _("Only .xlsx and .csv files can be imported."))
    return _read_csv(data, lim)


def _decode_text(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportRefused("binary", _("This file is not text (it contains NUL bytes): not a CSV file. If it is "
                                        "UTF-16 text, save it again as CSV (UTF-8)."))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    for encoding in ("utf-8", "gb18030"):  # GB18030 reads GBK and GB2312 too
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused("encoding", _("The CSV file is neither UTF-8 nor GBK/GB18030 text; save it again as "
                                          "CSV (UTF-8)."))
    controls = sum(1 for ch in text[:100_000] if ch < " " and ch not in "\t\r\n")
    if controls > 10:
        raise ImportRefused("binary", _("This file is not text: not a CSV file."))
    return text


def _read_csv(data: bytes, lim: Limits) -> Table:
    text = _decode_text(data)
    sample = text[:20_000].splitlines()[:HEADER_SEARCH_ROWS]
    delimiter = max(",\t;", key=lambda d: sum(line.count(d) for line in sample))
    rows = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= lim.max_rows:
                raise _refuse_too_many_rows(lim)
            while record and not record[-1].strip():
                record.pop()
            if len(record) > lim.max_columns:
                raise _refuse_too_many_columns(lim)
            rows.append(record)
    except csv.Error as exc:
        raise ImportRefused("csv", _("The CSV file cannot be read: %(error)s") % {"error": exc}) from None
    return Table(kind="csv", rows=rows)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?row[\s/>]")


def _count_rows(buf: bytes) -> int:
    """``<row`` tags in ``buf``; bytes.count for the usual spelling, the regex only for prefixed tags."""
    if b":row" in buf:
        return len(_ROW_TAG.findall(buf))
    return buf.count(b"<row ") + buf.count(b"<row>") + buf.count(b"<row/>")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,15}:)?dimension\s+ref="[A-Z]*[0-9]*:?([A-Z]{1,3})([0-9]{1,9})"')
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _inflate(data: bytes, info: zipfile.ZipInfo, lim: Limits) -> Iterable[bytes]:
    """The member's bytes, inflated here in bounded steps. The declared size is a claim, not a fact:
    producing more than declared is a bomb, whatever the headers say."""
    header = data[info.header_offset:info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened."))
    start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30],
                                                                                                "little")
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, len(raw), MB):
            yield bytes(raw[i:i + MB])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened."))
    inflater = zlib.decompressobj(-15)
    produced = 0
    try:
        for i in range(0, len(raw), 64 * 1024):
            chunk = inflater.decompress(bytes(raw[i:i + 64 * 1024]), MB)
            while True:
                produced += len(chunk)
                if produced > info.file_size or produced > lim.max_unpacked:
                    raise ImportRefused("zip_bomb", _("The workbook unpacks to far more than it declares, as a "
                                                      "zip bomb does; it was refused."))
                if chunk:
                    yield chunk
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, MB)
    except zlib.error:
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened.")) from None


def _check_zip(data: bytes, lim: Limits) -> None:
    """Measure every member before any parser runs; see the module docstring."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened.")) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise ImportRefused("not_xlsx", _("This file is a zip archive (perhaps a Word document) but not an Excel "
                                          "workbook; import the .xlsx or .csv roster."))
    if len(infos) > lim.max_zip_members or sum(info.file_size for info in infos) > lim.max_unpacked:
        raise ImportRefused("zip_bomb", _("The workbook unpacks to more than %(mb)d MB, far more than any roster; "
                                          "it was refused.") % {"mb": lim.max_unpacked // MB})
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportRefused("xls", _("This is an Excel 97-2003 (.xls) or password-protected workbook; open it in "
                                     "Excel or WPS and save it as .xlsx without a password."))
    for info in infos:
        is_sheet = bool(_SHEET_PART.fullmatch(info.filename))
        tail, rows, produced, first = b"", 0, 0, True
        for chunk in _inflate(data, info, lim):
            buf = tail + chunk
            if any(mark in buf for mark in _DTD_MARKS):
                raise ImportRefused("dtd", _("The workbook contains an XML document type declaration, which real "
                                             "spreadsheets never do (it is how 'billion laughs' attacks work); "
                                             "it was refused."))
            if is_sheet:
                if first:
                    declared = _DIMENSION.search(buf[:4096])
                    if declared and int(declared.group(2)) > lim.max_rows:
                        raise _refuse_too_many_rows(lim)
                    if declared and _column_number(declared.group(1)) > lim.max_columns:
                        raise _refuse_too_many_columns(lim)
                # A tag lying across two chunks is counted once: the tail keeps it whole.
                rows += _count_rows(buf) - _count_rows(tail)
                if rows > lim.max_rows:
                    raise _refuse_too_many_rows(lim)
            produced += len(chunk)
            tail, first = buf[-40:], False
        if produced != info.file_size:
            raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened."))


def _read_xlsx(data: bytes, lim: Limits) -> Table:
    _check_zip(data, lim)
    reader = _read_with_calamine if _calamine() is not None else _read_with_openpyxl
    tables = reader(data, lim)
    for table in tables:
        if _find_header(table.rows) is not None:
            return table
    return tables[0] if tables else Table(kind="xlsx", rows=[])


@lru_cache(maxsize=1)
def _calamine():
    try:
        import python_calamine
    except ImportError:
        return None
    return python_calamine


def _read_with_calamine(data: bytes, lim: Limits) -> list[Table]:
    """python-calamine (Rust): ~10x openpyxl's read-only mode on a 100,000-row roster."""
    calamine = _calamine()
    tables = []
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [m.name for m in book.sheets_metadata
                   if m.typ == calamine.SheetTypeEnum.WorkSheet and m.visible == calamine.SheetVisibleEnum.Visible]
        for name in visible[:10]:
            sheet = book.get_sheet_by_name(name)
            if sheet.total_height > lim.max_rows:
                raise _refuse_too_many_rows(lim)
            if sheet.total_width > lim.max_columns:
                raise _refuse_too_many_columns(lim)
            # Rows come from row 1 of the sheet; columns from the first used column.
            col0 = sheet.start[1] if sheet.start else 0
            rows = [list(row) for row in sheet.iter_rows()]
            _fill_merged(rows, sheet.merged_cell_ranges or [], col0)
            tables.append(Table(kind="xlsx", rows=rows, sheet=name))
    except calamine.PasswordError:
        raise ImportRefused("xls", _("This is an Excel 97-2003 (.xls) or password-protected workbook; open it in "
                                     "Excel or WPS and save it as .xlsx without a password.")) from None
    except calamine.CalamineError:
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened.")) from None
    return tables


def _fill_merged(rows: list[list], merged, col0: int) -> None:
    """A merged cell holds its value in the top-left corner only; a roster means it for every row
    it spans (the employer merged down a column of colleagues)."""
    blank = {i for i, row in enumerate(rows) if all(cell in ("", None) for cell in row)}
    for (r1, c1), (r2, _c2) in merged:
        col = c1 - col0
        if r2 == r1 or r1 >= len(rows) or col < 0 or col >= len(rows[r1]):
            continue  # only merges down a column repeat a value; a merged title or footer does not
        for r in range(r1 + 1, min(r2, len(rows) - 1) + 1):
            if r not in blank and rows[r][col] in ("", None):  # a blank line inside the merge stays blank
                rows[r][col] = rows[r1][col]


def _read_with_openpyxl(data: bytes, lim: Limits) -> list[Table]:
    """openpyxl's read-only mode (it parses through defusedxml); merged cells are not filled."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, DefusedXmlException):
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened.")) from None
    tables = []
    try:
        for sheet in book.worksheets[:10]:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows = []
            for row in sheet.iter_rows(values_only=True):
                if len(rows) >= lim.max_rows:
                    raise _refuse_too_many_rows(lim)
                row = list(row)
                while row and row[-1] in (None, ""):
                    row.pop()
                if len(row) > lim.max_columns:
                    raise _refuse_too_many_columns(lim)
                rows.append(row)
            tables.append(Table(kind="xlsx", rows=rows, sheet=sheet.title))
    except DefusedXmlException:
        raise ImportRefused("damaged", _("The workbook is damaged and cannot be opened.")) from None
    finally:
        book.close()
    return tables


# --- parsing: rows -> header, normalized values --------------------------------------------------

LABELS = {
    "seq": ["序号", "编号", "序", "no"],
    "name": ["姓名", "会员姓名", "职工姓名", "名字"],
    "id_number": ["身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "居民身份证号码", "身份证", "身份证件号码",
                  "证件号码"],
    "gender": ["性别"],
    "birth_date": ["出生日期", "出生年月日", "出生年月"],
    "ethnicity": ["民族"],
    "phone": ["手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话", "电话号码"],
    "education": ["文化程度", "学历", "最高学历"],
    "political_status": ["政治面貌"],
    "household": ["户籍", "户籍性质", "户籍类型", "户口性质", "户口类型", "户口"],
    "employment_form": ["用工形式", "就业形式", "用工性质", "用工方式", "就业方式"],
    "new_form_type": ["新就业形态类型", "新就业形态", "新就业形态类别", "从业类型"],
    "employer_name": ["工作单位", "所在单位", "单位名称", "单位", "就业单位", "工作单位名称"],
    "joined_on": ["入会时间", "入会日期", "入会年月"],
    "member_type": ["会员类型", "会员类别", "会员性质"],
}
_LABEL_TO_FIELD = {label: field for field, labels in LABELS.items() for label in labels}
FIELD_NAMES = {  # how the error report names a column the file does not have
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族",
    "phone": "手机号", "education": "文化程度", "political_status": "政治面貌", "household": "户籍",
    "employment_form": "用工形式", "new_form_type": "新就业形态类型", "employer_name": "工作单位",
    "joined_on": "入会时间", "member_type": "会员类型",
}
_ID_LIKE = re.compile(r"\d{14}")
_BRACKETS = re.compile(r"[(（\[【].*?[)）\]】]")
_FOOTER = ("合计", "总计", "小计", "共计", "填表人", "制表人", "填报人", "审核人", "负责人", "联系人", "单位负责人",
           "备注", "说明", "注:", "注：")

_MAPS = {
    "gender": {"男": "M", "男性": "M", "m": "M", "女": "F", "女性": "F", "f": "F"},
    "education": {
        **dict.fromkeys(["小学", "小学及以下", "小学以下", "文盲", "半文盲", "primary"], "primary"),
        **dict.fromkeys(["初中", "初级中学", "初中及以下", "junior"], "junior"),
        **dict.fromkeys(["高中", "中专", "职高", "技校", "中技", "中职", "高中/中专", "高中(中专)", "普高", "高中及中专",
                         "中等专科", "senior"], "senior"),
        **dict.fromkeys(["大专", "专科", "大学专科", "高职", "高职高专", "college"], "college"),
        **dict.fromkeys(["本科", "大学本科", "大学", "学士", "bachelor"], "bachelor"),
        **dict.fromkeys(["硕士", "研究生", "硕士研究生", "博士", "博士研究生", "研究生及以上", "postgraduate"],
                        "postgraduate"),
    },
    "political_status": {
        **dict.fromkeys(["中共党员", "党员", "共产党员", "中国共产党党员", "cpc"], "cpc"),
        **dict.fromkeys(["中共预备党员", "预备党员", "cpc_probationary"], "cpc_probationary"),
        **dict.fromkeys(["共青团员", "团员", "league"], "league"),
        **dict.fromkeys(["民主党派", "民主党派成员", "各民主党派", "other_party"], "other_party"),
        # 无党派人士 is its own category in united-front work; the roster knows five, and for a union
        # member it means "not in a party", as 群众 does.
        **dict.fromkeys(["群众", "无党派人士", "无党派", "masses"], "masses"),
    },
    "household": {
        **dict.fromkeys(["农业", "农村", "农业户口", "农村户口", "农业户籍", "农村户籍", "rural"], "rural"),
        **dict.fromkeys(["非农业", "城镇", "城市", "非农业户口", "城镇户口", "非农", "城镇户籍", "城市户口", "居民户口",
                         "urban"], "urban"),
    },
    "employment_form": {
        **dict.fromkeys(["劳动合同", "合同制", "合同工", "正式工", "全日制", "签订劳动合同", "劳动合同制", "contract"],
                        "contract"),
        **dict.fromkeys(["劳务派遣", "派遣", "派遣工", "dispatch"], "dispatch"),
        **dict.fromkeys(["灵活就业", "非全日制", "临时工", "灵活用工", "flexible"], "flexible"),
        **dict.fromkeys(["新就业形态", "新就业形态劳动者", "平台用工", "new_form"], "new_form"),
    },
    "new_form_type": {
        **dict.fromkeys(["快递员", "快递小哥", "快递", "快递员/快递小哥", "courier"], "courier"),
        **dict.fromkeys(["外卖骑手", "外卖员", "骑手", "外卖送餐员", "送餐员", "网约配送员", "food_delivery"],
                        "food_delivery"),
        **dict.fromkeys(["网约车司机", "网约车驾驶员", "网约车", "ride_hailing"], "ride_hailing"),
        **dict.fromkeys(["货车司机", "货车驾驶员", "卡车司机", "truck_driver"], "truck_driver"),
        **dict.fromkeys(["家政服务员", "家政", "家政工", "domestic"], "domestic"),
        **dict.fromkeys(["代驾", "代驾司机", "代驾员", "designated_driver"], "designated_driver"),
        **dict.fromkeys(["网络主播", "主播", "带货主播", "网络营销师", "online_marketing"], "online_marketing"),
        **dict.fromkeys(["其他", "其它", "other"], "other"),
    },
    "member_type": {
        **dict.fromkeys(["正式会员", "会员", "正式", "full"], "full"),
        **dict.fromkeys(["预备会员", "预备", "probationary"], "probationary"),
    },
}


def _label_key(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = _BRACKETS.sub("", text)
    return re.sub(r"[\s*※:：]", "", text).lower()


def _find_header(rows: list[list]) -> tuple[int, dict[str, int], list[str]] | None:
    """(row index, {field: column}, [ignored labels]) of the first row naming 姓名 and 身份证号."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        ignored = []
        for col, cell in enumerate(row):
            key = _label_key(cell)
            field = _LABEL_TO_FIELD.get(key)
            if field and field not in columns:
                columns[field] = col
            elif key:
                ignored.append(str(cell).strip())
        if "name" in columns and "id_number" in columns:
            return index, columns, ignored
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE_YMD = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_YM = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _date(value) -> datetime.date:
    """Excel serials, date cells and the ways people type dates: 2023.5.1, 2023年5月1日, 2023/05/01,
    20230501, and 2023.05 (a month, read as its first day, as rosters often record 入会时间)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern, has_day in ((_DATE_YMD, True), (_DATE_COMPACT, True), (_DATE_YM, False)):
        match = pattern.fullmatch(text)
        if match:
            try:
                return datetime.date(int(match[1]), int(match[2]), int(match[3]) if has_day else 1)
            except ValueError:
                raise ValueError(_("This date does not exist.")) from None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text))
    raise ValueError(_("Not a date; write it as 2023-05-01."))


def _serial(value: float) -> datetime.date:
    if not 1 <= value < 2958466:
        raise ValueError(_("Not a date; write it as 2023-05-01."))
    return _EXCEL_EPOCH + datetime.timedelta(days=int(value))


def _choice_key(value) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", _text(value))).lower()


def _name(value) -> str:
    text = _text(value)
    compact = re.sub(r"[\s\u3000]", "", text)
    # 张  三: two-character names are padded to line up with three-character ones.
    if compact and compact != text and all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in compact):
        return compact
    return text


@dataclasses.dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclasses.dataclass
class ParsedRow:
    row: int
    values: dict  # field -> str, or date for birth_date and joined_on
    raw: dict  # field -> the cell as text, for the error report


@dataclasses.dataclass
class ParsedRoster:
    sheet: str
    header_row: int
    columns: dict[str, str]  # field -> the label the file uses
    ignored_columns: list[str]
    rows: list[ParsedRow]
    errors: list[RowError]
    skipped: int
    data_rows: int


def parse_table(table: Table) -> ParsedRoster:
    """Find the header by its labels, skip blank, repeated-header and footer rows, normalize cells."""
    found = _find_header(table.rows)
    if found is None:
        raise ImportRefused("no_header", _("No header row naming the columns 姓名 and 身份证号 was found in the first "
                                           "%(n)d rows.") % {"n": HEADER_SEARCH_ROWS})
    header_index, columns, ignored = found
    header = table.rows[header_index]
    labels = {field: str(header[col]).strip() for field, col in columns.items()}
    parsed, errors, skipped, data_rows, memo = [], [], 0, 0, {}
    for index in range(header_index + 1, len(table.rows)):
        row = table.rows[index]
        cells = {field: (row[col] if col < len(row) else None) for field, col in columns.items() if field != "seq"}
        texts = {field: _text(value) for field, value in cells.items()}
        if not any(texts.values()):
            skipped += 1
            continue
        if not _ID_LIKE.search(re.sub(r"\s", "", texts.get("id_number", ""))):  # a data row has an ID; these do not
            first = _label_key(next((_text(c) for c in row if _text(c)), ""))
            # 合计 / 填表人 … below the table, and the header repeated on every printed page.
            if first.startswith(_FOOTER) or _find_header([row]) is not None:
                skipped += 1
                continue
        data_rows += 1
        values, row_errors = _normalize(cells, texts, memo)
        for field, reason in row_errors:
            errors.append(RowError(index + 1, labels.get(field, FIELD_NAMES.get(field, field)), texts.get(field, ""),
                                   reason))
        if not row_errors:
            parsed.append(ParsedRow(row=index + 1, values=values, raw=texts))
    return ParsedRoster(sheet=table.sheet, header_row=header_index + 1, columns=labels, ignored_columns=ignored,
                        rows=parsed, errors=errors, skipped=skipped, data_rows=data_rows)


_FORMS = frozenset(EmploymentForm.values)
_PER_ROW = {"name", "id_number", "phone"}  # every other column has a handful of distinct values


def _normalize(cells: dict, texts: dict, memo: dict) -> tuple[dict, list[tuple[str, str]]]:
    values: dict = {}
    errors: list[tuple[str, str]] = []
    for field, value in cells.items():
        text = texts[field]
        if not text:
            continue
        if field in _PER_ROW:
            if field == "name":
                values["name"] = _name(value)
            elif field == "id_number" and isinstance(value, int | float) and not isinstance(value, bool):
                errors.append((field, _("The ID number was stored as a number, so Excel dropped its last digits; "
                                        "format the column as text and type the number again.")))
            else:
                values[field] = text
            continue
        key = (field, text, isinstance(value, int | float))
        if key not in memo:
            memo[key] = _normalize_cell(field, value, text)
        update, error = memo[key]
        if error:
            errors.append((field, error))
        else:
            values.update(update)
    subtype = _MAPS["new_form_type"].get(_choice_key(cells["employment_form"])) if "employment_form" in values \
        else None
    if values.get("employment_form") not in _FORMS and subtype:  # 用工形式: 外卖骑手
        values["employment_form"] = EmploymentForm.NEW_FORM.value
        values.setdefault("new_form_type", subtype)
    elif "new_form_type" in values and "employment_form" not in values:
        values["employment_form"] = EmploymentForm.NEW_FORM.value
    if "name" not in values:
        errors.append(("name", _("The name is empty.")))
    if "id_number" not in values and not any(field == "id_number" for field, _reason in errors):
        errors.append(("id_number", _("The ID number is empty.")))
    return values, errors


def _normalize_cell(field: str, value, text: str) -> tuple[dict, str | None]:
    if field in ("joined_on", "birth_date"):
        try:
            day = _date(value)
        except ValueError as exc:
            return {}, str(exc)
        if field == "birth_date" and _DATE_YM.fullmatch(unicodedata.normalize("NFKC", text)):
            # 出生年月 1990.01 states a month: checked against the ID's month, not its day.
            return {"birth_month": day.isoformat()[:7]}, None
        return {field: day}, None
    if field == "gender":
        gender = _MAPS["gender"].get(_choice_key(value))
        return ({}, _("The gender must be 男 or 女.")) if gender is None else ({field: gender}, None)
    if field in _MAPS:
        return {field: _MAPS[field].get(_choice_key(value), text)}, None
    if field == "ethnicity":
        return {field: re.sub(r"\s", "", unicodedata.normalize("NFKC", text))}, None
    return {field: text}, None


# --- planning: validated members, matched against the roster -------------------------------------

@dataclasses.dataclass
class ImportPlan:
    node: object
    parsed: ParsedRoster
    new: list[dict]  # column values by attribute name
    updates: list[tuple[Member, list[str]]]
    unchanged: int
    errors: list[RowError]
    good_rows: list[ParsedRow]

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})

    def counts(self) -> dict:
        return {"rows": self.parsed.data_rows, "new": len(self.new), "updated": len(self.updates),
                "unchanged": self.unchanged, "error_rows": self.error_rows, "skipped": self.parsed.skipped}


# Each group is validated together by clean_member_fields because its rules span the group.
_GROUPS = (("ethnicity",), ("education",), ("political_status",), ("household",),
           ("employment_form", "new_form_type"), ("employer_name",), ("member_type",), ("joined_on",))


class _Validator:
    """The console's validation, with the checks of a few distinct values remembered per import."""

    def __init__(self):
        self._cache: dict = {}

    def fields(self, values: dict) -> tuple[dict, dict]:
        cleaned, errors = {}, {}
        cache = self._cache
        for group in _GROUPS:
            if len(group) == 1:
                value = values.get(group[0])
                if value is None:
                    continue
                key = (group, value)
            else:
                key = (group, tuple(values.get(f) for f in group))
                if key[1] == (None,) * len(group):
                    continue
            if key not in cache:
                try:
                    cache[key] = (clean_member_fields({f: values[f] for f in group if f in values}), None)
                except ValidationError as exc:
                    cache[key] = (None, exc.message_dict)
            result, messages = cache[key]
            if messages:
                errors.update(messages)
            else:
                cleaned.update(result)
        if values.get("phone"):
            try:  # what clean_member_fields does with a phone, without building its other messages
                cleaned["phone"] = normalize_mobile(values["phone"])
            except ValidationError as exc:
                errors["phone"] = exc.messages
        return cleaned, errors


@lru_cache(maxsize=20_000)
def _char_initial(ch: str) -> str | None:
    """The initial of a character whose readings all start alike; None for 单 (dan/shan), 曾, 长 …"""
    readings = _pinyin_readings(ch, style=Style.FIRST_LETTER, heteronym=True, errors="ignore")
    letters = {r[0].lower() for group in readings for r in group if r}
    if len(letters) > 1:
        return None
    return pinyin.initials(ch)


@lru_cache(maxsize=50_000)
def _phrase_initials(name: str) -> str:
    return pinyin.initials(name)


def _initials(name: str) -> str:
    """``pinyin.initials`` (10 µs a name instead of 110): per character when no character has a
    second reading with another initial, else the phrase-aware original."""
    parts = []
    for ch in name:
        initial = _char_initial(ch)
        if initial is None:
            return _phrase_initials(name)[:50]
        parts.append(initial)
    return "".join(parts)[:50]


class _MemberBuilder:
    """Assembles a new member's column values as ``build_member`` does (same fields, same
    derivations), as a dict by attribute name: the rows go to the database without a model
    instance each (see ``_insert_members``)."""

    def __init__(self, node):
        self.template = {f.attname: f.get_default() for f in Member._meta.concrete_fields if not f.primary_key}
        self.template.update(node_id=node.pk, source=Source.IMPORT.value)
        self.today = timezone.localdate()

    def build(self, person, cleaned: dict) -> dict:
        row = self.template.copy()
        phone = cleaned.pop("phone", "") or ""
        row.update(cleaned)
        row.update(name=person.name, id_number=person.id_number, id_hash=id_hash(person.id_number),
                   gender=person.gender, birth_date=person.birth_date, name_initials=_initials(person.name),
                   phone=phone, phone_hash=phone_hash(phone) if phone else "", phone_tail=phone[-4:] if phone else "")
        return row


def plan_import(*, parsed: ParsedRoster, node, progress: Progress | None = None) -> ImportPlan:
    """Validate every parsed row and decide new / update / unchanged / error; writes nothing."""
    validator, builder = _Validator(), _MemberBuilder(node)
    labels = parsed.columns
    errors = list(parsed.errors)
    candidates: list[tuple[ParsedRow, dict, set]] = []
    first_row_of: dict[str, int] = {}
    total = len(parsed.rows)
    for done, prow in enumerate(parsed.rows, 1):
        values = prow.values
        problems: dict = {}
        person = None
        try:
            person = clean_person(name=values.get("name", ""), id_number=values.get("id_number", ""),
                                  gender=values.get("gender"), birth_date=values.get("birth_date"))
        except ValidationError as exc:
            problems.update(exc.message_dict)
        if person is not None and "birth_month" in values and values["birth_month"] != \
                person.birth_date.isoformat()[:7]:
            problems["birth_date"] = [_("The birth date does not match the ID number.")]
        cleaned, field_errors = validator.fields(values)
        problems.update(field_errors)
        if person is not None and not problems:
            cleaned.setdefault("joined_on", builder.today)
            try:
                check_join_age(person.birth_date, cleaned["joined_on"])
            except ValidationError as exc:
                problems.update(exc.message_dict)
        if problems:
            for field, messages in problems.items():
                errors.append(_row_error(prow, field, labels, " ".join(messages)))
        else:
            member = builder.build(person, cleaned)
            first = first_row_of.setdefault(member["id_hash"], prow.row)
            if first != prow.row:
                errors.append(_row_error(prow, "id_number", labels,
                                         _("The same ID number as row %(row)d: one person appears twice.")
                                         % {"row": first}))
            else:
                provided = values.keys() & _PROVIDED
                if "household" in provided:
                    provided.add("is_migrant")
                candidates.append((prow, member, provided))
        if progress and (done % BATCH == 0 or done == total):
            progress("validate", done, total)
    new, updates, unchanged, good = _match(candidates, node, labels, errors)
    errors.sort(key=lambda e: e.row)
    return ImportPlan(node=node, parsed=parsed, new=new, updates=updates, unchanged=unchanged, errors=errors,
                      good_rows=good)


_PROVIDED = frozenset(EDITABLE)


def _row_error(prow: ParsedRow, field: str, labels: dict, reason: str) -> RowError:
    if field not in labels and field == "new_form_type" and "employment_form" in labels:
        field = "employment_form"
    if field == "__all__":
        field = "id_number"
    return RowError(prow.row, labels.get(field, FIELD_NAMES.get(field, field)), prow.raw.get(field, ""), reason)


_COMPARED = ["ethnicity", "education", "political_status", "household", "is_migrant", "employment_form",
             "new_form_type", "employer_name", "member_type", "joined_on"]


def _match(candidates, node, labels, errors):
    """Active memberships of the same people, anywhere: inside the target's subtree they are
    updated, elsewhere they are conflicts."""
    existing: dict[str, Member] = {}
    hashes = [member["id_hash"] for _prow, member, _provided in candidates]
    with scopes_disabled():
        for i in range(0, len(hashes), 900):
            qs = (Member.objects.filter(id_hash__in=hashes[i:i + 900], status=MemberStatus.ACTIVE)
                  .select_related("node").only("id", "node_id", "node__path", "node__name", "name", "id_hash",
                                               "status", "phone_hash", "phone_tail", "updated_at", *_COMPARED))
            existing.update((m.id_hash, m) for m in qs)
    new, updates, good, unchanged = [], [], [], 0
    for prow, member, provided in candidates:
        current = existing.get(member["id_hash"])
        if current is None:
            new.append(member)
            good.append(prow)
            continue
        if not current.node.path.startswith(node.path):
            errors.append(_row_error(prow, "id_number", labels, conflict_error(current).message))
            continue
        if current.name != member["name"]:
            errors.append(_row_error(prow, "name", labels, _(
                "The roster has another name for this ID number; an administrator corrects a member's identity "
                "on the member's page.")))
            continue
        good.append(prow)
        changed = [f for f in _COMPARED if f in provided and getattr(current, f) != member[f]]
        if ("employment_form" in changed and member["employment_form"] != EmploymentForm.NEW_FORM
                and current.new_form_type):
            changed.append("new_form_type")
        if "phone" in provided and current.phone_hash != member["phone_hash"]:
            changed += ["phone", "phone_hash", "phone_tail"]
        if not changed:
            unchanged += 1
            continue
        for field in changed:
            setattr(current, field, member[field])
        updates.append((current, sorted(set(changed))))
    return new, updates, unchanged, good


# --- writing -------------------------------------------------------------------------------------

@dataclasses.dataclass
class ImportResult:
    counts: dict
    errors: list[RowError]
    seconds: float
    dry_run: bool = False


def _column_writers(model) -> tuple[list[str], list]:
    """(columns, converters) to insert ``model`` rows from dicts by attribute name.

    What ``bulk_create`` does for each value, minus its per-value dispatch (~70% of an import's
    time): plain text, numbers, booleans and keys go as they are; dates and datetimes through the
    backend's adapters; every other field (the encrypted ones) through its own get_db_prep_save.
    """
    ops = connection.ops
    columns, converters = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        kind = type(field)
        if kind in (models.CharField, models.BooleanField, models.PositiveIntegerField, models.ForeignKey) or \
                isinstance(field, BlindIndexField):
            convert = None
        elif kind is models.DateTimeField:
            convert = lru_cache(maxsize=64)(ops.adapt_datetimefield_value)  # one "now" for every row
        elif kind is models.DateField:
            convert = lru_cache(maxsize=4096)(ops.adapt_datefield_value)
        else:
            convert = partial(field.get_db_prep_save, connection=connection)
        columns.append(field.attname)
        converters.append(convert)
    return columns, converters


def _insert_sql(model, columns) -> str:
    qn = connection.ops.quote_name
    names = ", ".join(qn(model._meta.get_field(c).column) for c in columns)
    # Names come from the model's metadata, every value is a parameter.
    return f"INSERT INTO {qn(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608


def _insert_members(rows: list[dict], node, actor_id, progress: Progress | None, total: int) -> int:
    """Insert in batches, each under a savepoint: a card number drawn twice in the whole country is
    drawn again; a person who became a member meanwhile stops the import (one active membership is
    a database constraint, so the race cannot slip through)."""
    prefix = new_card_number(node)[:6]
    drawn: set[str] = set()

    def draw() -> str:
        while True:
            card = f"{prefix}{secrets.randbelow(10**10):010d}"
            if card not in drawn:
                drawn.add(card)
                return card

    columns, converters = _column_writers(Member)
    sql = _insert_sql(Member, columns)
    now = timezone.now()
    done = 0
    for i in range(0, len(rows), BATCH):
        batch = rows[i:i + BATCH]
        for row in batch:
            row["card_number"] = draw()
            row["created_at"] = row["updated_at"] = now
        for _attempt in range(5):
            params = [[value if convert is None else convert(value)
                       for value, convert in zip(map(row.__getitem__, columns), converters, strict=True)]
                      for row in batch]
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.executemany(sql, params)
                break
            except IntegrityError:
                with scopes_disabled():
                    taken = set(Member.objects.filter(card_number__in=[r["card_number"] for r in batch])
                                .values_list("card_number", flat=True))
                    raced = Member.objects.filter(id_hash__in=[r["id_hash"] for r in batch],
                                                  status=MemberStatus.ACTIVE).exists()
                if raced or not taken:
                    raise ImportRefused("roster_changed", _("The roster changed while importing (someone added "
                                                            "the same person); run the import again.")) from None
                for row in batch:
                    if row["card_number"] in taken:
                        row["card_number"] = draw()
        else:
            raise DomainError("card_number", _("Could not allocate a member card number; try again."))
        _joined_events(batch, node, actor_id)
        done += len(batch)
        if progress:
            progress("write", done, total)
    return done


def _joined_events(batch: list[dict], node, actor_id) -> None:
    """A "joined" history event per new member, written by the database from the rows just inserted."""
    qn = connection.ops.quote_name
    events, members = MemberEvent._meta, Member._meta
    data = events.get_field("data").get_db_prep_save({"node": node.pk, "source": Source.IMPORT.value}, connection)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # A NULL parameter has no type in PostgreSQL's SELECT list; a literal NULL has.
    actor_sql, actor_params = ("%s", [actor_id]) if actor_id is not None else ("NULL", [])
    cols = ", ".join(qn(events.get_field(f).column) for f in ("member", "action", "on", "at", "actor", "reason", "data"))
    for i in range(0, len(batch), 900):
        hashes = [r["id_hash"] for r in batch[i:i + 900]]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {qn(events.db_table)} ({cols}) "  # noqa: S608  names from metadata, values as params
                f"SELECT {qn('id')}, %s, {qn('joined_on')}, %s, {actor_sql}, %s, %s FROM {qn(members.db_table)} "
                f"WHERE {qn('status')} = %s AND {qn('id_hash')} IN ({', '.join(['%s'] * len(hashes))})",
                [MemberEvent.Action.JOINED.value, now, *actor_params, "", data, MemberStatus.ACTIVE.value, *hashes])


def _update_events(updates, actor) -> None:
    today = timezone.localdate()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    # Field names only: the history and the audit log must not become a second copy of personal data.
    MemberEvent.objects.bulk_create(
        [MemberEvent(member_id=m.pk, action=MemberEvent.Action.IMPORTED, on=today, actor_id=actor_id,
                     data={"fields": [f for f in changed if f in EDITABLE]}) for m, changed in updates],
        batch_size=BATCH)


@transaction.atomic
def write_plan(*, plan: ImportPlan, actor, file_hash: str = "", progress: Progress | None = None) -> dict:
    node = plan.node
    total = len(plan.new) + len(plan.updates)
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    done = _insert_members(plan.new, node, actor_id, progress, total)
    now = timezone.now()
    by_fields: dict[tuple, list[Member]] = {}
    for member, changed in plan.updates:
        member.updated_at = now
        by_fields.setdefault(tuple(changed), []).append(member)
    for changed, members in by_fields.items():
        for i in range(0, len(members), BATCH):
            Member.objects.bulk_update(members[i:i + BATCH], [*changed, "updated_at"], batch_size=500)
            done += len(members[i:i + BATCH])
            if progress:
                progress("write", done, total)
    _update_events(plan.updates, actor)
    counts = plan.counts()
    audit("members.import", actor=actor, obj=node, data={**counts, "file_sha256": file_hash})
    return counts


def _check_target(node, actor) -> None:
    if actor is not None:
        require_role(actor, node, WRITERS, "members.import")
    if not node.is_active:
        raise DomainError("node_inactive", _("Members cannot be added to a merged or dissolved union."))


def import_roster(*, data: bytes, filename: str, node, actor, dry_run: bool = False,
                  progress: Progress | None = None) -> ImportResult:
    """Read, validate and (unless ``dry_run``) write a roster file in one go: the command line's path."""
    started = time.perf_counter()
    _check_target(node, actor)
    parsed = parse_table(read_table(data, filename=filename))
    if progress:
        progress("read", parsed.data_rows, parsed.data_rows)
    plan = plan_import(parsed=parsed, node=node, progress=progress)
    counts = plan.counts() if dry_run else write_plan(plan=plan, actor=actor, progress=progress,
                                                      file_hash=hashlib.sha256(data).hexdigest())
    return ImportResult(counts=counts, errors=plan.errors, seconds=time.perf_counter() - started, dry_run=dry_run)


def error_report(errors: list[RowError], *, exported_by: str) -> bytes:
    """The rows that were not imported, as xlsx (cells that look like formulas are escaped)."""
    return build_workbook(title=_("Import errors"), exported_by=exported_by,
                          headers=[_("Row"), _("Column"), _("Value"), _("Reason")],
                          rows=((e.row, e.column, e.value, e.reason) for e in errors))


# --- the console's two steps: stage (preview) and commit -----------------------------------------
#
# Between the preview and the confirmation the parsed good rows wait in DATA_DIR/imports, sealed
# with the field-encryption key (they hold ID numbers) under a random name bound to the user.
# Confirming re-validates them against the roster as it is then, so a preview never goes stale.

STAGE_TTL = datetime.timedelta(hours=24)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _stage_dir() -> Path:
    path = Path(getattr(settings, "GONGHUI_IMPORT_DIR", Path(settings.DATA_DIR) / "imports"))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _stage_path(token: str, suffix: str = ".json") -> Path:
    if not _TOKEN.fullmatch(token or ""):
        raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file again."))
    return _stage_dir() / f"{token}{suffix}"


def _write_stage(token: str, payload: dict) -> None:
    sealed = crypto.encrypt(json.dumps(payload, ensure_ascii=False, default=str), associated=token.encode())
    path = _stage_path(token)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(sealed, encoding="ascii")
    os.replace(tmp, path)


def _read_stage(path: Path, token: str, actor) -> dict:
    try:
        payload = json.loads(crypto.decrypt(path.read_text(encoding="ascii"), associated=token.encode()))
    except (OSError, ValueError, KeyError, InvalidTag):
        raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file "
                                                "again.")) from None
    created = datetime.datetime.fromisoformat(payload["created"])
    if payload["user"] != getattr(actor, "pk", None) or timezone.now() - created > STAGE_TTL:
        raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file again."))
    return payload


def _purge_expired() -> None:
    cutoff = time.time() - STAGE_TTL.total_seconds()
    for path in _stage_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _row_to_json(prow: ParsedRow) -> list:
    return [prow.row, {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in prow.values.items()},
            prow.raw]


def _row_from_json(item: list) -> ParsedRow:
    row, values, raw = item
    for field in ("joined_on", "birth_date"):
        if field in values:
            values[field] = datetime.date.fromisoformat(values[field])
    return ParsedRow(row=row, values=values, raw=raw)


@dataclasses.dataclass
class StagedImport:
    token: str
    state: str  # "staged" or "done"
    node_id: int
    filename: str
    counts: dict
    errors: list[RowError]
    columns: dict
    ignored_columns: list[str]
    header_row: int
    sheet: str
    seconds: float = 0.0


def _staged(token: str, payload: dict) -> StagedImport:
    return StagedImport(token=token, state=payload["state"], node_id=payload["node"], filename=payload["filename"],
                        counts=payload["counts"], errors=[RowError(*e) for e in payload["errors"]],
                        columns=payload["columns"], ignored_columns=payload["ignored"],
                        header_row=payload["header_row"], sheet=payload["sheet"],
                        seconds=payload.get("seconds", 0.0))


def stage_import(*, data: bytes, filename: str, node, actor) -> StagedImport:
    """Read and validate the upload, keep the good rows for the confirmation; writes no roster data."""
    _check_target(node, actor)
    _purge_expired()
    plan = plan_import(parsed=parse_table(read_table(data, filename=filename)), node=node)
    token = secrets.token_urlsafe(24)
    payload = {
        "state": "staged", "user": actor.pk, "node": node.pk, "filename": os.path.basename(filename)[:100],
        "created": timezone.now().isoformat(), "file_sha256": hashlib.sha256(data).hexdigest(),
        "counts": plan.counts(), "errors": [dataclasses.astuple(e) for e in plan.errors],
        "columns": plan.parsed.columns, "ignored": plan.parsed.ignored_columns,
        "header_row": plan.parsed.header_row, "sheet": plan.parsed.sheet,
        "parse_errors": [dataclasses.astuple(e) for e in plan.parsed.errors],
        "data_rows": plan.parsed.data_rows, "skipped": plan.parsed.skipped,
        "rows": [_row_to_json(r) for r in plan.good_rows],
    }
    _write_stage(token, payload)
    return _staged(token, payload)


def load_staged_import(*, token: str, actor) -> StagedImport:
    path = _stage_path(token)
    if not path.exists():
        path = _stage_path(token, ".running")
    return _staged(token, _read_stage(path, token, actor))


def commit_staged_import(*, token: str, actor, node, progress: Progress | None = None) -> StagedImport:
    """Run a previewed import. The staged file is claimed by an atomic rename, so a double submit
    imports once; the rows are validated again against the roster as it is now."""
    started = time.perf_counter()
    path, running = _stage_path(token), _stage_path(token, ".running")
    try:
        os.rename(path, running)
    except FileNotFoundError:
        raise DomainError("import_done", _("This import has already been carried out or has expired.")) from None
    try:
        payload = _read_stage(running, token, actor)
        if payload["state"] != "staged":
            raise DomainError("import_done", _("This import has already been carried out or has expired."))
        if payload["node"] != node.pk:
            raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file "
                                                    "again."))
        _check_target(node, actor)
        parsed = ParsedRoster(sheet=payload["sheet"], header_row=payload["header_row"], columns=payload["columns"],
                              ignored_columns=payload["ignored"], rows=[_row_from_json(r) for r in payload["rows"]],
                              errors=[RowError(*e) for e in payload["parse_errors"]], skipped=payload["skipped"],
                              data_rows=payload["data_rows"])
        plan = plan_import(parsed=parsed, node=node, progress=progress)
        counts = write_plan(plan=plan, actor=actor, progress=progress, file_hash=payload["file_sha256"])
    except BaseException:
        if running.exists():
            os.replace(running, path)  # the preview stays usable after a refusal or a crash
        raise
    result = {**payload, "state": "done", "rows": [], "counts": counts,
              "errors": [dataclasses.astuple(e) for e in plan.errors], "seconds": time.perf_counter() - started}
    _write_stage(token, result)
    running.unlink(missing_ok=True)
    return _staged(token, result)
