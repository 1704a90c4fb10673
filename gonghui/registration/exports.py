"""The register as a spreadsheet (xlsx): one row per registered union, cells safe from formulas
(``core.xlsx``), the legal representative's ID number masked as everywhere else."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.core.masking import mask_resident_id
from gonghui.core.xlsx import build_workbook

from . import selectors


def register_workbook(qs, *, exported_by: str) -> tuple[bytes, int]:
    """The workbook of the registrations in ``qs`` (already scoped and filtered) and its row count."""
    due_date = selectors.renewal_notice_date()
    rows = []
    for r in qs.iterator(chunk_size=2000):
        due = not r.is_cancelled and r.valid_until <= due_date
        rows.append((r.name, r.credit_code, r.get_status_display(), _("yes") if due else "", r.node.name,
                     r.legal_rep_name, mask_resident_id(r.legal_rep_id_number), r.chair_name, r.address,
                     r.founded_on, r.elected_on, r.term_years, r.worker_count, r.member_count, r.funding_source,
                     r.fixed_funds, r.working_funds, r.registered_on, r.valid_from, r.valid_until, r.cancelled_on,
                     r.version, str(r.office)))
    headers = [_("union name"), _("unified social credit code"), _("status"), _("due for renewal"), _("Union"),
               _("legal representative"), _("legal representative's ID number"), _("chair"), _("address"),
               _("founded on"), _("committee elected on"), _("term (years)"), _("workers"), _("members"),
               _("funding source"), _("fixed funds (yuan)"), _("working funds (yuan)"), pgettext("registration", "registered on"),
               _("valid from"), _("valid until"), _("cancelled on"), _("version"), _("registration office")]
    content = build_workbook(title=_("Register of union legal persons"), headers=headers, rows=rows,
                             exported_by=exported_by)
    return content, len(rows)
