"""Funds as spreadsheets (xlsx, through ``core.xlsx``: no cell runs as a formula): the payment ledger
and plan vs allocated vs spent. Amounts stay exact decimals (written as numbers of yuan)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.core.xlsx import build_workbook

from . import selectors


def ledger_workbook(qs, *, title: str, exported_by: str) -> tuple[bytes, int]:
    """The ledger rows of ``qs`` (scoped and filtered by the caller), with their chain hashes."""
    rows = [(e.seq, timezone.localdate(e.at), e.node.name, e.year, e.category.name, e.get_kind_display(), e.amount, e.payee_name,
             e.memo, str(e.actor), e.reverses.seq if e.reverses_id else "", e.hash)
            for e in qs.select_related("reverses").iterator(chunk_size=2000)]
    headers = ["#", _("Date"), _("Paying union"), pgettext("period", "Year"), _("Category"), _("Kind"), _("Amount (yuan)"), _("Payee"),
               _("Purpose"), _("Approved by"), _("Reverses row"), _("Keyed hash")]
    return build_workbook(title=title, headers=headers, rows=rows, exported_by=exported_by), len(rows)


def plan_workbook(*, node, year: int, exported_by: str) -> tuple[bytes, int]:
    """Plan vs allocated vs spent of ``node`` for ``year``: by category, then by union (itself and
    each child with its subtree), with the totals — the tables of the funds home page."""
    def money(r):
        return [r.budget, r.received, r.available, r.allocated, r.spent,
                r.execution if r.execution is not None else ""]

    by_category = selectors.funds_by_category(node=node, year=year)
    rows = [(_("By category"), r.category.name, r.category.plan.name, r.category.target_amount, *money(r))
            for r in by_category]
    total = selectors.totals(by_category)
    rows.append((_("By category"), _("Total"), "", sum((r.category.target_amount for r in by_category), 0),
                 *money(total)))
    for r in selectors.funds_by_child(node=node, year=year):
        rows.append((_("By union"), r.node.name, "", "", *money(r)))
    headers = [_("Table"), _("Category or union"), _("Plan"), _("Planned"), _("Own budget"), _("Received from above"),
               _("Available (yuan)"), _("Handed down"), _("Spent"), _("Executed (%)")]
    title = _("Plan, allocated and spent") + f" {node.name} {year}"
    return build_workbook(title=title, headers=headers, rows=rows, exported_by=exported_by), len(rows)
