"""Formatting of figures on the dashboard: counts with separators, money in yuan, rates in %."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gonghui.core.indicators import MONEY, RATE

register = template.Library()


def _text(indicator, value) -> str:
    if value is None:
        return "—"
    if indicator.kind == RATE:
        return f"{value}%"
    if indicator.kind == MONEY:
        return f"¥{intcomma(f'{value:.2f}')}"
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
    amount = f"{abs(diff)}" + (_(" points") if f.indicator.kind == RATE else "")
    rate = f.change_rate
    return format_html('<small class="change {}">{} {}{}</small>', css, arrow, amount,
                       f" ({rate}%)" if rate is not None else "")
