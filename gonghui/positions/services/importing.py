"""Import of positions from a spreadsheet (xlsx or csv): every row is checked with the same rules as
the console form; if any row is wrong, the errors are reported (row, column, reason) and nothing is
written; otherwise all rows are created in one transaction.

The file is read by the roster import's reader (content sniffing, caps on size, rows and unpacked
bytes, zip-bomb and DTD checks). The host union is given by its code or its exact name, and must be
inside the importer's scope where they keep positions. Coordinates may come in GCJ-02 or BD-09 (a
"coordinate system" column, or the form's choice for the whole file).
"""

import dataclasses
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gonghui.accounts.permissions import allowed
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.limits import FILE_NAME_LABEL, shortened_file_name
from gonghui.core.xlsx import build_workbook
from gonghui.members.services.importing import ImportRefused, read_table
from gonghui.orgs import selectors as orgs

from .. import coordinates
from ..models import Position
from ..validation import clean_position_fields

MAX_ROWS = 5000
# Column → the labels a sheet may use for it (Chinese as cadres write them, and English).
COLUMNS = {
    "node": ("所属工会", "依托工会", "工会", "工会编码", "host union", "union"),
    "name": ("名称", "阵地名称", "驿站名称", "name"),
    "kind": ("类型", "阵地类型", "type"),
    "level": ("级别", "示范级别", "level"),
    "address": ("地址", "详细地址", "address"),
    "lat": ("纬度", "latitude", "lat"),
    "lng": ("经度", "longitude", "lng", "lon"),
    "system": ("坐标系", "coordinate system"),
    "hours": ("开放时间", "服务时间", "opening hours", "hours"),
    "closed_on_holidays": ("节假日闭馆", "法定节假日闭馆", "closed on public holidays"),
    "amenities": ("服务设施", "设施", "amenities"),
    "contact_name": ("联系人", "contact person"),
    "contact_phone": ("联系电话", "电话", "contact phone"),
    "area_sqm": ("面积", "面积（平方米）", "面积(平方米)", "floor area"),
    "description": ("简介", "说明", "description"),
}
REQUIRED = ("name", "kind", "address", "lat", "lng", "hours")
LABELS = {
    "node": gettext_lazy("Host union"), "name": pgettext_lazy("thing", "Name"), "kind": gettext_lazy("Type"),
    "level": gettext_lazy("Level"), "address": gettext_lazy("Address"), "lat": gettext_lazy("Latitude"),
    "lng": gettext_lazy("Longitude"), "system": gettext_lazy("Coordinate system"),
    "hours": gettext_lazy("Opening hours"), "closed_on_holidays": gettext_lazy("Closed on public holidays"),
    "amenities": gettext_lazy("Amenities"), "contact_name": gettext_lazy("Contact person"),
    "contact_phone": gettext_lazy("Contact phone"), "area_sqm": gettext_lazy("Floor area (m²)"),
    "description": gettext_lazy("Description"),
}
_SYSTEM_WORDS = {"wgs84": coordinates.WGS84, "wgs-84": coordinates.WGS84, "gps": coordinates.WGS84,
                 "gcj02": coordinates.GCJ02, "gcj-02": coordinates.GCJ02, "高德": coordinates.GCJ02,
                 "腾讯": coordinates.GCJ02, "火星坐标": coordinates.GCJ02, "bd09": coordinates.BD09,
                 "bd-09": coordinates.BD09, "百度": coordinates.BD09}
_YES = {"是", "y", "yes", "true", "1", "√", "闭馆"}


@dataclasses.dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclasses.dataclass
class ImportOutcome:
    created: list[Position]
    errors: list[RowError]
    rows: int


def _key(text) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


def _find_header(rows) -> tuple[int, dict[str, int]] | None:
    wanted = {_key(label): field for field, labels in COLUMNS.items() for label in labels}
    for index, row in enumerate(rows[:20]):
        found = {}
        for col, cell in enumerate(row):
            field = wanted.get(_key(cell))
            if field and field not in found:
                found[field] = col
        if {"name", "address"} <= set(found):
            return index, found
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def import_positions(*, actor, data: bytes, filename: str, node=None, system: str = coordinates.WGS84,
                     dry_run: bool = False) -> ImportOutcome:
    """Check every row; write all of them or none. ``node`` is the default host union."""
    if node is not None and not allowed(actor, "positions.position.import", node=node):
        raise DomainError("not_permitted", _("You do not keep the positions of %(union)s.") % {"union": node.name})
    table = read_table(data=data, filename=filename)
    header = _find_header(table.rows)
    if header is None:
        raise ImportRefused("no_header", _("No header row found: the sheet needs at least the columns 名称 (name) "
                                           "and 地址 (address)."))
    head_index, columns = header
    missing = [str(LABELS[f]) for f in REQUIRED if f not in columns]
    if "node" not in columns and node is None:
        missing.insert(0, str(LABELS["node"]))
    if missing:
        raise ImportRefused("missing_columns", _("Columns missing: %(columns)s.") % {"columns": "、".join(missing)})
    body = [(head_index + 2 + i, row) for i, row in enumerate(table.rows[head_index + 1:])
            if any(_text(c) for c in row)]
    if len(body) > MAX_ROWS:
        raise ImportRefused("too_many_rows", _("At most %(n)s positions per file.") % {"n": MAX_ROWS})
    errors: list[RowError] = []
    plans: list[tuple[object, dict]] = []
    seen: dict[tuple, int] = {}
    node_cache: dict[str, object] = {}
    for row_number, row in body:
        cells = {field: _text(row[col]) if col < len(row) else "" for field, col in columns.items()}
        host = _host(cells.get("node", ""), node, actor, node_cache)
        if isinstance(host, str):
            errors.append(RowError(row_number, str(LABELS["node"]), cells.get("node", ""), host))
            continue
        row_system = _SYSTEM_WORDS.get(_key(cells.get("system", "")), system if not cells.get("system") else None)
        if row_system is None:
            errors.append(RowError(row_number, str(LABELS["system"]), cells["system"],
                                   _("Write WGS-84, GCJ-02 (AMap, Tencent) or BD-09 (Baidu).")))
            continue
        fields = {f: cells.get(f, "") for f in ("name", "kind", "level", "address", "lat", "lng", "hours",
                                               "amenities", "contact_name", "contact_phone", "area_sqm",
                                               "description")}
        fields["closed_on_holidays"] = _key(cells.get("closed_on_holidays", "")) in _YES
        try:
            clean = clean_position_fields(fields, system=row_system)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(row_number, str(LABELS.get(field, field)), cells.get(field, ""), message))
            continue
        key = (host.pk, clean["name"])
        if key in seen:
            errors.append(RowError(row_number, str(LABELS["name"]), clean["name"],
                                   _("The same position is already in row %(row)s.") % {"row": seen[key]}))
            continue
        seen[key] = row_number
        plans.append((host, clean))
    if not body:
        raise ImportRefused("empty", _("The sheet has a header but no rows."))
    if errors or dry_run:
        return ImportOutcome([], errors, len(body))
    with transaction.atomic():
        created = [Position.objects.create(node=host, **clean) for host, clean in plans]
        audit("positions.position.imported", actor=actor, obj=node or created[0].node,
              data={"rows": len(created), "file": shortened_file_name(filename, FILE_NAME_LABEL)})
    return ImportOutcome(created, [], len(body))


def _host(value: str, default, actor, cache: dict):
    """The host union of a row, or the reason it cannot be used."""
    if not value:
        return default if default is not None else _("Give the host union (its code or full name).")
    if value in cache:
        return cache[value]
    found = None
    try:
        found = orgs.access_node_by_code(value.upper())
    except Http404:  # not a code in scope: try the name next
        matches = list(orgs.node_list().filter(name=value)[:2])
        if len(matches) == 1:
            found = matches[0]
        elif len(matches) > 1:
            cache[value] = _("Several unions are called %(name)s; give its code instead.") % {"name": value}
            return cache[value]
    if found is None:
        result = _("No union with this code or name in your scope.")
    elif not allowed(actor, "positions.position.import", node=found):
        result = _("You do not keep the positions of %(union)s.") % {"union": found.name}
    elif default is not None and not found.path.startswith(default.path):
        result = _("%(union)s is not under %(default)s.") % {"union": found.name, "default": default.name}
    else:
        result = found
    cache[value] = result
    return result


def build_template_workbook(*, exported_by: str) -> bytes:
    """An empty sheet with the headers and one example row, for cadres to fill in."""
    headers = ["所属工会", "名称", "类型", "级别", "地址", "纬度", "经度", "坐标系", "开放时间", "节假日闭馆", "服务设施",
               "联系人", "联系电话", "面积（平方米）", "简介"]
    example = ["(工会编码)", "城关街道人民路户外劳动者驿站", "工会驿站 / 户外劳动者服务站点", "", "青山县城关街道人民路88号",
               "30.871200", "119.943300", "GCJ-02", "周一至周五 07:00-19:00；周六、周日 08:00-18:00", "否",
               "饮水/热水、手机充电、卫生间、休息座椅、急救药箱", "王丽", "0572-1234567", "40", ""]
    return build_workbook(title=_("Positions import template"), headers=headers, rows=[example],
                          exported_by=exported_by)


def build_error_report(*, errors: list[RowError], exported_by: str) -> bytes:
    return build_workbook(title=_("Import errors"), exported_by=exported_by,
                          headers=[_("Row"), _("Column"), _("Value"), _("Reason")],
                          rows=[(e.row, e.column, e.value, e.reason) for e in errors])
