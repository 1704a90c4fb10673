"""``{% load core_money %}{{ amount|yuan }}``: ¥12,345.60 on every page, "—" for no amount.

The one money filter of the platform (``gonghui.core.money.yuan``); ``|yuan_plain`` leaves out the ¥
where a column header already says 元.
"""

from django import template

from gonghui.core.money import yuan as format_yuan

register = template.Library()


@register.filter
def yuan(value) -> str:
    return format_yuan(value, sign=True)


@register.filter
def yuan_plain(value) -> str:
    return format_yuan(value)
