"""The narrative work report (工作报告): a template with placeholders filled from the indicators.

A template is plain text: a line starting with ``# `` is the title, ``## `` a heading, any other
line a paragraph. Placeholders:

- ``{members.total}``: the figure rounded the way union reports round (9,987 → 9900余, 126,480 →
  12.6万余; money 619,700 → 61.97万; rates 60.0%); ``{members.total:exact}`` the exact figure;
  ``{members.total:change}`` the comparison with the same period a year earlier (比上年增加215人);
- ``{node}``, ``{period}``, ``{as_of}`` (2025年12月31日), ``{area:positions}`` a sentence listing
  every figure of a work area (so a module's figures reach the report without a template change).

A paragraph starting with ``? `` is left out when all its figures are zero (no sentence about
"0 targets, 0 met").

Unknown placeholders are refused when a template is saved and when a report is written, naming
them, so no report goes out with a hole in it.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

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
本期新建工会组织{orgs.new_unions}个，其中新就业形态工会累计达到{orgs.new_employment_unions}个。建会台账登记用人单位{orgs.employers}家，已建立工会{orgs.unionized_employers}家，建会率{orgs.unionization_rate}；尚有{orgs.employers_to_organize}家用人单位有待组建工会，将作为下一步“应建尽建”的重点。
## 二、会员发展
本期新发展会员{members.joined}人，{members.joined:change}。现有会员中，女职工会员{members.women}人，农民工会员{members.migrant}人，新就业形态劳动者会员{members.new_form}人。按各工会申报的职工人数计算，入会率{members.membership_rate}。
## 三、工会干部队伍
现有社会化工会工作者{orgs.socialized_staff}人、专职副主席{orgs.vice_chairs}人。
? 本年度下达的{orgs.staff_targets}项工会工作者配备任务中，已完成{orgs.staff_targets_met}项，完成率{orgs.staff_target_rate}。
{area:positions}
{area:activities}
{area:aid}
{area:rights}
{area:registration}
{area:funds}
"""

# A node without records still gets a document: its title and one sentence saying so.
NO_DATA = """# {node}{period}工会工作情况报告
截至{as_of}，{node}尚无可统计的工会组织、会员或其他业务记录，本期不生成数据报告。"""


@dataclass
class Block:
    kind: str            # title | heading | paragraph
    parts: list          # text (str) and figures (Fig)

    @property
    def text(self) -> str:
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
    if amount < 10000:
        return f"{amount:.2f}元"
    return f"{(amount / 10000).quantize(Decimal('0.01'))}万元"


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


def as_of_text(period: Period) -> str:
    return f"{period.end.year}年{period.end.month}月{period.end.day}日"


def write(*, text: str, node, period: Period, values: dict, previous: dict, link=None) -> list[Block]:
    """The report as blocks of text and figures; every figure carries the URL of its records."""
    check_template(text)
    if not any(v for k, v in values.items() if registry.get(k).kind != RATE and k != "orgs.unions" and v):
        text = NO_DATA
    simple = {"node": node.name, "period": period.label, "as_of": as_of_text(period)}
    blocks = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line.strip():
            continue
        optional = line.startswith("? ")
        if optional:
            line = line[2:]
        kind = "title" if line.startswith("# ") else "heading" if line.startswith("## ") else "paragraph"
        line = line.lstrip("#").strip() if kind != "paragraph" else line
        parts, pos = [], 0
        for match in PLACEHOLDER.finditer(line):
            parts.append(line[pos:match.start()])
            parts.extend(_fill(match.group(1), simple, node, period, values, previous, link))
            pos = match.end()
        parts.append(line[pos:])
        block = Block(kind, [p for p in parts if p != ""])
        if optional and not any(values.get(p.key) for p in block.parts if isinstance(p, Fig)):
            continue
        if block.parts:
            blocks.append(block)
    return blocks


def _fill(placeholder, simple, node, period, values, previous, link) -> list:
    name, _sep, fmt = placeholder.partition(":")
    if name in simple:
        return [simple[name]]
    if name == "area":
        return _area_sentence(fmt, node, period, values, previous, link)
    indicator = registry.get(name)
    value = values.get(name)
    url = link(indicator, node, period) if link else None
    if fmt == "exact":
        return [Fig(name, "—" if value is None else str(value), url)]
    if fmt == "change":
        return [_change(indicator, value, previous.get(name))]
    return [Fig(name, _fmt(indicator, value), url)]


def _area_sentence(area, node, period, values, previous, link) -> list:
    """"服务阵地方面：职工之家23个（比上年同期增加2个）、……。" for figures the template does not spell out."""
    members = [i for i in registry.all_indicators() if i.area == area]
    if not any(values.get(i.key) for i in members):
        return []  # nothing recorded in this work area: no sentence of zeros
    parts: list = [f"{registry.AREAS[area]}方面："]
    for n, ind in enumerate(members):
        if n:
            parts.append("，")
        value = values.get(ind.key)
        unit = "" if ind.kind in (RATE, MONEY) else str(ind.unit)
        parts += [str(ind.name), Fig(ind.key, _fmt(ind, value), link(ind, node, period) if link else None), unit]
        if not ind.current_only:
            parts.append(f"（{_change(ind, value, previous.get(ind.key))}）")
    parts.append("。")
    return parts


def plain_text(blocks: list[Block]) -> str:
    lines = []
    for block in blocks:
        if block.kind == "title":
            lines += [block.text, ""]
        elif block.kind == "heading":
            lines += ["", block.text]
        else:
            lines.append("　　" + block.text)
    return "\n".join(lines) + "\n"
