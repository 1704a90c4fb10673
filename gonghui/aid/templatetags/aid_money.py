"""Kept for templates not yet moved: the money filter is ``{% load core_money %}`` (gonghui.core)."""

from gonghui.core.templatetags.core_money import register  # noqa: F401 - the same filters, one definition
