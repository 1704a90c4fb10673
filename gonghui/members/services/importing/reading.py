"""Reading an upload: recognize it by its content (the name can lie), enforce the caps, and turn an
xlsx (python-calamine, or openpyxl's read-only mode) or a csv (UTF-8 with or without BOM,
GBK/GB18030) into rows of cells.

Every zip member is inflated here first, counting the bytes it really produces and refusing any
DTD, before a spreadsheet parser sees it (zip bombs, lying headers, billion laughs).
"""

import codecs
import csv
import dataclasses
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable
from functools import lru_cache

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError

from .headers import HEADER_SEARCH_ROWS, find_header

MB = 1024 * 1024


class ImportRefused(DomainError):
    """The file as a whole cannot be imported (type, size, damage, no header). Nothing was changed."""


@dataclasses.dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked: int
    max_zip_members: int


def read_limits() -> Limits:
    return Limits(
        max_bytes=settings.GONGHUI_IMPORT_MAX_BYTES,
        max_rows=settings.GONGHUI_IMPORT_MAX_ROWS,
        max_columns=settings.GONGHUI_IMPORT_MAX_COLUMNS,
        max_unpacked=settings.GONGHUI_IMPORT_MAX_UNPACKED_BYTES,
        max_zip_members=settings.GONGHUI_IMPORT_MAX_ZIP_MEMBERS,
    )


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


def read_table(*, data: bytes, filename: str) -> Table:
    """Recognize the file by its content (the name can lie) and read its cells."""
    lim = read_limits()
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
        if find_header(rows=table.rows) is not None:
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
    if not any(r2 > r1 for (r1, _c1), (r2, _c2) in merged):
        return  # no merge spans rows: nothing to fill, no need to look for blank lines
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
