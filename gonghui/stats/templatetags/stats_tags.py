"""Formatting of figures on the dashboard: counts with separators, money in yuan, rates in %."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gonghui.core.indicators import MONEY, RATE
from gonghui.core.money import yuan

register = template.Library()


def _text(indicator, value) -> str:
    if value is None:
        return "—"
    if indicator.kind == RATE:
        return f"{value}%"
    if indicator.kind == MONEY:
        return yuan(value, sign=True)
    return intcomma(value)


@register.simple_tag
def figure(indicator, value):
    return _text(indicator, value)


@register.simple_tag
def value_of(values, indicator):
    return _text(indicator, values.get(indicator.key))


@register.simple_tag
def series_value(series, key, index):
    values = series.get(key) or []
    return intcomma(values[index]) if index < len(values) else "—"


@register.simple_tag
def change(f):
    """▲ 12 (+3.4%) against the same period a year earlier; nothing for figures without history."""
    diff = f.change
    if diff is None:
        return ""
    if diff == 0:
        return format_html('<small class="change flat">{}</small>', _("no change"))
    arrow, css = ("▲", "up") if diff > 0 else ("▼", "down")
    # The change is written as the figure is: ▲ ¥223,300.00 beside ¥1,223,300.00, ▲ 1,204 beside 9,126.
    # Translators: a change of a rate, e.g. "▲ 3.2 percentage points" (3.2个百分点)
    amount = _("%(n)s percentage points") % {"n": abs(diff)} if f.indicator.kind == RATE else _text(f.indicator, abs(diff))
    rate = f.change_rate
    return format_html('<small class="change {}">{} {}{}</small>', css, arrow, amount,
                       f" ({rate}%)" if rate is not None else "")


@register.filter
def recorded(figures):
    """The figures of an area that hold something (a union's home leaves out the zeros)."""
    return [f for f in figures if f.value]
