"""Writing spreadsheets people will open in Excel or WPS: no cell may run as a formula."""

import io
from collections.abc import Iterable, Sequence

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = str.maketrans({ch: " " for ch in "[]:*?/\\"})


def safe_cell(value):
    """Text starting with = + - @ tab or CR is prefixed with ' so spreadsheet apps show it as text.

    Control characters the xlsx format cannot hold (a pasted vertical tab in survey notes) are
    dropped rather than failing the whole export; lazy translations become plain text.
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def build_workbook(*, title: str, headers: Sequence[str], rows: Iterable[Sequence], exported_by: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = str(title).translate(_SHEET_TITLE_FORBIDDEN)[:31]
    ws.append([safe_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    ws.oddHeader.center.text = safe_cell(title)
    ws.oddFooter.left.text = safe_cell(f"{exported_by} {stamp}")
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
