"""Rights cases as a spreadsheet (xlsx).

Rules enforced here:
- the claimant's name and mobile are masked unless the full version is asked for by an admin or
  clerk of every union the export covers (a mediator or reviewer never gets it);
- the facts (what happened) are never exported: they stay in the case file;
- cells are written through ``core.xlsx`` (text starting with = + - @ is not a formula);
- every export is audited with its row count, whether it was full, and the filters.
"""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.audit import audit
from gonghui.core.errors import NotPermitted
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.xlsx import build_workbook

from ..models import Case
from ..selectors import is_overdue, may_export_full


def _headers() -> list[str]:
    return [_("Tracking code"), _("Category"), _("Channel"), _("Claimant"), _("Mobile"), _("Employer"),
            _("Workers involved"), _("Amount claimed (yuan)"), _("Union"), _("Stage"), _("In this stage since"),
            _("Due on"), _("Overdue"), _("Handler"), _("Amount recovered (yuan)"), _("Settled by mediation"),
            _("Satisfaction"), _("Submitted at"), _("Closed on")]


def _row(case: Case, *, full: bool, today) -> list:
    yes, no = _("yes"), _("no")
    return [
        case.tracking_code, case.get_category_display(), case.get_channel_display(),
        case.claimant_name if full else mask_name(case.claimant_name),
        case.claimant_phone if full else mask_phone(case.claimant_phone),
        case.employer_name, case.workers_involved, case.amount_claimed, case.node.name, case.get_stage_display(),
        case.stage_since, case.due_on, yes if is_overdue(case, today) else "", str(case.handler) if case.handler_id
        else "", case.amount_recovered, yes if case.mediated else no, case.get_satisfaction_display(),
        timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M"), case.closed_on,
    ]


def export_cases(*, actor, cases: QuerySet[Case], covers: list, full: bool = False, filters: dict | None = None,
                 channel: str = "console") -> bytes:
    """``cases`` as the caller sees them (``selectors.case_list``); ``covers``: the unions the
    export spans (the chosen one, or the actor's scope roots), for the full-version check."""
    if full and not may_export_full(actor, covers):
        raise NotPermitted("rights.cases.export_full")
    today = timezone.localdate()
    rows = [_row(case, full=full, today=today) for case in cases.iterator(chunk_size=2000)]
    audit("rights.cases.exported", actor=actor, obj=covers[0] if len(covers) == 1 else None,
          data={"rows": len(rows), "full": full, "filters": filters or {}, "channel": channel})
    return build_workbook(title=_("Rights cases"), headers=_headers(), rows=rows, exported_by=str(actor))
