"""Parsing: the rows under the header as normalized values per field. Blank, footer (合计, 填表人 …)
and repeated header rows are skipped; full-width digits, stray spaces, Excel date serials and the
ways people type dates and choices (男, 本科, 2023.5.1, 2023年5月1日) are read as the roster means them.
"""

import dataclasses
import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from ...models import EmploymentForm
from .headers import FIELD_NAMES, HEADER_SEARCH_ROWS, _label_key, find_header
from .reading import ImportRefused, Table

_ID_LIKE = re.compile(r"\d{14}")
_SPACE = re.compile(r"\s")

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


def _text(value) -> str:
    if type(value) is str:
        return value.strip()
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
    return _SPACE.sub("", unicodedata.normalize("NFKC", _text(value))).lower()


def _name_text(text: str) -> str:
    """The name cell's text, with the spaces that pad a Chinese name removed."""
    compact = _SPACE.sub("", text)  # \s covers the ideographic space U+3000
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


def parse_table(*, table: Table) -> ParsedRoster:
    """Find the header by its labels, skip blank, repeated-header and footer rows, normalize cells."""
    rows = table.rows
    found = find_header(rows=rows)
    if found is None:
        raise ImportRefused("no_header", _("No header row naming the columns 姓名 and 身份证号 was found in the first "
                                           "%(n)d rows.") % {"n": HEADER_SEARCH_ROWS})
    header_index, columns, ignored = found
    header = rows[header_index]
    labels = {field: str(header[col]).strip() for field, col in columns.items()}
    read = [(field, col) for field, col in columns.items() if field != "seq"]
    parsed, errors, skipped, data_rows, memo = [], [], 0, 0, {}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        width = len(row)
        cells = {field: (row[col] if col < width else None) for field, col in read}
        # Most cells are text: strip them here instead of calling _text for each.
        texts = {field: (value.strip() if type(value) is str else _text(value)) for field, value in cells.items()}
        if not any(texts.values()):
            skipped += 1
            continue
        id_text = texts.get("id_number", "")
        if not _ID_LIKE.search(id_text) and not _ID_LIKE.search(_SPACE.sub("", id_text)):
            # A data row has an ID; 合计 / 填表人 … below the table, and the header repeated on every
            # printed page, do not.
            first = _label_key(next((_text(c) for c in row if _text(c)), ""))
            if first.startswith(_FOOTER) or find_header(rows=[row]) is not None:
                skipped += 1
                continue
        data_rows += 1
        values, row_errors = _normalize(cells, texts, memo)
        if row_errors:
            for field, reason in row_errors:
                errors.append(RowError(index + 1, labels.get(field, FIELD_NAMES.get(field, field)),
                                       texts.get(field, ""), reason))
        else:
            parsed.append(ParsedRow(row=index + 1, values=values, raw=texts))
    return ParsedRoster(sheet=table.sheet, header_row=header_index + 1, columns=labels, ignored_columns=ignored,
                        rows=parsed, errors=errors, skipped=skipped, data_rows=data_rows)


_FORMS = frozenset(EmploymentForm.values)
_PER_ROW = frozenset({"name", "id_number", "phone"})  # every other column has a handful of distinct values
_NUMBER = (int, float)


def _normalize(cells: dict, texts: dict, memo: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The row's values by field, and (field, reason) for each bad cell. The result for a cell of a
    column with few distinct values (education, dates …) is remembered in ``memo`` for the file."""
    values: dict = {}
    errors: list[tuple[str, str]] = []
    for field, value in cells.items():
        text = texts[field]
        if not text:
            continue
        if field in _PER_ROW:
            if field == "name":
                values["name"] = _name_text(text)
            elif field == "id_number" and isinstance(value, _NUMBER) and not isinstance(value, bool):
                errors.append((field, _("The ID number was stored as a number, so Excel dropped its last digits; "
                                        "format the column as text and type the number again.")))
            else:
                values[field] = text
            continue
        # A text cell's result depends on its stripped text alone; a number or date cell's also on its type.
        key = (field, text) if type(value) is str else (field, text, isinstance(value, _NUMBER))
        result = memo.get(key)
        if result is None:
            result = memo[key] = _normalize_cell(field, value, text)
        update, error = result
        if error:
            errors.append((field, error))
        else:
            values.update(update)
    if "employment_form" in values:
        key = ("new_form_subtype", texts["employment_form"])
        if key not in memo:
            memo[key] = _MAPS["new_form_type"].get(_choice_key(texts["employment_form"]))
        subtype = memo[key]
    else:
        subtype = None
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
        return {field: _SPACE.sub("", unicodedata.normalize("NFKC", text))}, None
    return {field: text}, None
