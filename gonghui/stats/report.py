"""The narrative work report (工作报告): a template with placeholders filled from the indicators.

A template is plain text: a line starting with ``# `` is the title, ``## `` a heading, any other
line a paragraph. Placeholders:

- ``{members.total}``: the figure rounded the way union reports round (9,987 → 9900余, 126,480 →
  12.6万余; money 619,700 → 61.97万; rates 60.0%); ``{members.total:exact}`` the exact figure;
  ``{members.total:change}`` the comparison with the same period a year earlier (比上年增加215人);
- ``{node}``, ``{period}``, ``{as_of}`` (2025年12月31日), ``{area:positions}`` the figures of a work
  area in sentences, each in the words its indicator declares (``Indicator.phrase``: "开展活动和课程13次",
  never a number followed by an English unit name): flows within the period ("2025年，……"), stocks at
  its end ("截至2025年12月31日，……"), and figures the platform keeps no history of, said to be those of
  the day the report was written when the period is past (not today's numbers under an old date).
  A line holding only ``{area:…}`` also gets the area's table (本期、上年同期、增减、口径) and, when
  nothing of the area was recorded, the sentence 本期无相关业务记录.

The document starts with the title and a cover line (the union and the period).

A paragraph starting with ``? `` is left out when all its figures are zero (no sentence about
"0 targets, 0 met").

Unknown placeholders are refused when a template is saved and when a report is written, naming
them, so no report goes out with a hole in it.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import indicators as registry
from gonghui.core.errors import DomainError
from gonghui.core.indicators import MONEY, RATE, Period

PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
SIMPLE = {"node", "period", "as_of"}
FORMATS = {"", "exact", "change"}

DEFAULT_TEMPLATE = """# {node}{period}工会工作情况报告
截至{as_of}，{node}所辖共有各级工会组织{orgs.unions}个，其中基层工会{orgs.grassroots}个；会员{members.total}人，{members.total:change}。
## 一、组织建设
{area:organization}
## 二、会员发展
{area:members}
## 三、工会干部队伍
{area:staff}
## 四、服务阵地
{area:positions}
## 五、活动与培训
{area:activities}
## 六、帮扶救助
{area:aid}
## 七、维权服务
{area:rights}
## 八、法人资格登记
{area:registration}
## 九、经费与项目
{area:funds}
"""

# A node without records still gets a document: its title and one sentence saying so.
NO_DATA = """# {node}{period}工会工作情况报告
截至{as_of}，{node}尚无可统计的工会组织、会员或其他业务记录，本期不生成数据报告。"""


@dataclass
class Block:
    kind: str            # title | cover | heading | paragraph | table
    parts: list          # text (str) and figures (Fig)
    rows: list | None = None  # a table's rows of text, the first one its header

    @property
    def text(self) -> str:
        if self.rows is not None:
            return "\n".join("\u3000".join(row) for row in self.rows)
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)


@dataclass
class Fig:
    key: str
    text: str
    url: str | None = None


def check_template(text: str) -> None:
    """Refuse placeholders that name no figure (or an unknown format), naming each of them."""
    bad = [match for match in PLACEHOLDER.findall(text) if not _valid(match)]
    if bad:
        raise DomainError("unknown_placeholder", _("The template names figures that do not exist: %(names)s.")
                          % {"names": "、".join("{" + b + "}" for b in dict.fromkeys(bad))}, field="text")
    if not text.strip():
        raise DomainError("empty_template", _("The template is empty."), field="text")


def _valid(placeholder: str) -> bool:
    name, _sep, fmt = placeholder.partition(":")
    if name in SIMPLE and not fmt:
        return True
    if name == "area":
        return fmt in registry.AREAS
    try:
        indicator = registry.get(name)
    except KeyError:
        return False
    return fmt in FORMATS and not (fmt == "change" and indicator.current_only)


def round_count(n: int) -> str:
    """As union reports write a number of people or units."""
    if n < 1000:
        return str(n)
    if n < 10000:
        floor = n // 100 * 100
        return f"{floor}余" if floor != n else str(n)
    wan = (Decimal(n) / 10000).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{wan.normalize():f}"
    return f"{text}万余" if wan * 10000 != n else f"{text}万"


def round_money(amount: Decimal) -> str:
    """Money as a report writes it: 万元 with two decimals (619,700 → 61.97万元; 3,500.50 → 0.35万元)."""
    return f"{(Decimal(amount) / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}万元"


def _fmt(indicator, value) -> str:
    if value is None:
        return "—"
    if indicator.kind == RATE:
        return f"{value}%"
    if indicator.kind == MONEY:
        return round_money(value)
    return round_count(value)


def _change(indicator, value, previous) -> str:
    if value is None or previous is None:
        return "上年同期无可比数据"
    diff = value - previous
    unit = "" if indicator.kind == RATE else str(indicator.unit)
    if indicator.kind == RATE:
        return "与上年同期持平" if diff == 0 else f"比上年同期{'提高' if diff > 0 else '下降'}{abs(diff)}个百分点"
    if diff == 0:
        return "与上年同期持平"
    rate = f"，{'增长' if diff > 0 else '下降'}{registry.percent(abs(diff), previous)}%" if previous else ""
    amount = round_money(abs(diff)) if indicator.kind == MONEY else f"{abs(diff)}{unit}"
    return f"比上年同期{'增加' if diff > 0 else '减少'}{amount}{rate}"


def date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def as_of_text(period: Period) -> str:
    return date_text(period.end)


def span_text(period: Period) -> str:
    """The period as a cover line writes it: 2025年1月1日至12月31日 (the year once when it is one)."""
    end = f"{period.end.month}月{period.end.day}日" if period.end.year == period.start.year else date_text(period.end)
    return f"{date_text(period.start)}至{end}"


def _period_words(period: Period) -> str:
    """How a flow's sentence opens: 2025年 / 2025年第3季度 / 2025年7月, or 本期 for a range of days."""
    return "本期" if period.kind == "range" else str(period.label)


NOTHING = "本期无相关业务记录。"


def write(*, text: str, node, period: Period, values: dict, previous: dict, link=None, today=None,
          measured=frozenset()) -> list[Block]:
    """The report as blocks of text, figures and tables; every figure carries the URL of its records.

    ``today`` is the day the report is written: figures without history are said to be of that day
    when the period ended before it — unless ``measured`` names them: read from the snapshot taken
    at the period's end, they are said as of that day like the other stocks.
    """
    check_template(text)
    today = today or timezone.localdate()
    if not any(v for k, v in values.items() if registry.get(k).kind != RATE and k != "orgs.unions" and v):
        text = NO_DATA
    simple = {"node": node.name, "period": str(period.label), "as_of": as_of_text(period)}
    blocks: list[Block] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        optional = line.startswith("? ")
        if optional:
            line = line[2:]
        whole_area = AREA_LINE.match(line.strip())
        if whole_area and whole_area.group(1) in registry.AREAS:
            blocks += _area_blocks(whole_area.group(1), node, period, values, previous, link, today, measured)
            continue
        kind = "title" if line.startswith("# ") else "heading" if line.startswith("## ") else "paragraph"
        line = line.lstrip("#").strip() if kind != "paragraph" else line
        parts, pos = [], 0
        for match in PLACEHOLDER.finditer(line):
            parts.append(line[pos:match.start()])
            parts.extend(_fill(match.group(1), simple, node, period, values, previous, link, today, measured))
            pos = match.end()
        parts.append(line[pos:])
        block = Block(kind, [p for p in parts if p != ""])
        if optional and not any(values.get(p.key) for p in block.parts if isinstance(p, Fig)):
            continue
        if block.parts:
            blocks.append(block)
            if kind == "title" and text is not NO_DATA:
                blocks.append(Block("cover", [f"{node.name}（{span_text(period)}）"]))
    # A heading with nothing under it (a template's own heading, an area with no records) says so.
    out: list[Block] = []
    for n, block in enumerate(blocks):
        out.append(block)
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        if block.kind == "heading" and (following is None or following.kind == "heading"):
            out.append(Block("paragraph", [NOTHING]))
    return out


AREA_LINE = re.compile(r"^\{area:(\w+)\}$")


def _fill(placeholder, simple, node, period, values, previous, link, today, measured) -> list:
    name, _sep, fmt = placeholder.partition(":")
    if name in simple:
        return [simple[name]]
    if name == "area":
        return _area_sentences(fmt, node, period, values, previous, link, today, measured)
    indicator = registry.get(name)
    value = values.get(name)
    url = link(indicator, node, period) if link else None
    if fmt == "exact":
        return [Fig(name, "—" if value is None else str(value), url)]
    if fmt == "change":
        return [_change(indicator, value, previous.get(name))]
    return [Fig(name, _fmt(indicator, value), url)]


def _groups(area, period, values, today, measured=frozenset()) -> list[tuple[str, list]]:
    """The area's recorded figures in three groups, each with the words that open its sentence:
    flows within the period, stocks at its end, and figures kept without history."""
    members = [i for i in registry.all_indicators() if i.area == area and values.get(i.key)]
    past = period.end < today
    flows = [i for i in members if not i.as_of and not i.current_only]
    stocks = [i for i in members if (i.as_of and not i.current_only) or i.key in measured]
    current = [i for i in members if i.current_only and i.key not in measured]
    if not past:  # the period runs to today: today's figures are its end's
        stocks, current = stocks + current, []
    groups = []
    if flows:
        groups.append((f"{_period_words(period)}，", flows))
    if stocks:
        groups.append((f"截至{as_of_text(period)}，", stocks))
    if current:
        groups.append((f"以下数据系统不保留历史记录，无法还原至{as_of_text(period)}，"
                       f"为报告生成时（{date_text(today)}）的数据：", current))
    return groups


def _area_sentences(area, node, period, values, previous, link, today, measured) -> list:
    """The area's figures in sentences, as parts of one paragraph (``{area:…}`` inside a line)."""
    parts: list = []
    for opening, members in _groups(area, period, values, today, measured):
        parts.append(opening)
        for n, ind in enumerate(members):
            if n:
                parts.append("，")
            parts += _said(ind, node, period, values, previous, link)
        parts.append("。")
    return parts


def _said(ind, node, period, values, previous, link) -> list:
    """"开展活动和课程13次（比上年同期增加2次）" with the figure as a link to its records."""
    value = values.get(ind.key)
    fig = Fig(ind.key, _fmt(ind, value), link(ind, node, period) if link else None)
    before, _marker, after = ind.say("\x00").partition("\x00")
    parts = [before, fig, after]
    if not ind.current_only and previous.get(ind.key) is not None:
        parts.append(f"（{_change(ind, value, previous.get(ind.key))}）")
    return [p for p in parts if p != ""]


def _area_blocks(area, node, period, values, previous, link, today, measured) -> list[Block]:
    """A whole area: a paragraph per group of figures, then the table of all its figures."""
    blocks = [Block("paragraph", [opening, *_joined(members, node, period, values, previous, link), "。"])
              for opening, members in _groups(area, period, values, today, measured)]
    if blocks:
        blocks.append(table(area, period, values, previous, today, measured))
    return blocks


def _joined(members, node, period, values, previous, link) -> list:
    parts: list = []
    for n, ind in enumerate(members):
        if n:
            parts.append("，")
        parts += _said(ind, node, period, values, previous, link)
    return parts


def table(area, period, values, previous, today, measured=frozenset()) -> Block:
    """Every figure of the area: this period, the same period a year earlier, the change, the basis."""
    past = period.end < today
    rows = [["指标", f"{_period_words(period).rstrip('，')}", "上年同期", "增减", "单位", "口径"]]
    for ind in (i for i in registry.all_indicators() if i.area == area):
        value, before = values.get(ind.key), previous.get(ind.key)
        if ind.current_only and ind.key in measured:
            basis, before = "期末数", None
        elif ind.current_only:
            basis = "报告日数" if past else "当前数"
            before = None
        else:
            basis = "期末数" if ind.as_of else "本期累计"
        change = None if value is None or before is None else value - before
        unit = "%" if ind.kind == RATE else "万元" if ind.kind == MONEY else str(ind.unit)
        rows.append([str(ind.name), _cell(ind, value), _cell(ind, before), _cell(ind, change, signed=True), unit,
                     basis])
    return Block("table", [], rows)


def _cell(ind, value, *, signed=False) -> str:
    if value is None:
        return "—"
    if ind.kind == MONEY:
        text = f"{(Decimal(value) / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    elif isinstance(value, float):
        text = f"{value:,.1f}"
    else:
        text = f"{value:,}"
    if signed and value and value > 0:
        text = "+" + text
    return text


def plain_text(blocks: list[Block]) -> str:
    lines = []
    for block in blocks:
        if block.kind == "title":
            lines += [block.text]
        elif block.kind == "cover":
            lines += [block.text, ""]
        elif block.kind == "heading":
            lines += ["", block.text]
        elif block.kind == "table":
            lines += ["", *("\t".join(row) for row in block.rows), ""]
        else:
            lines.append("\u3000\u3000" + block.text)
    return "\n".join(lines) + "\n"
