"""What organizers need on paper: the sign-in sheet of one session (PDF, names in full, a column for
the signature) and the participants' list in full (xlsx). Both are for the activity's staff, who
see who signed up (``activities.booking.export``); every print and export is audited with the
number of rows, never the names."""

import io
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import require
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook

from .. import selectors
from ..models import BookingState

ROWS_PER_PAGE = 22


def _font() -> Path:
    font = Path(settings.GONGHUI_CERT_FONT)
    if not font.is_file():
        raise DomainError("no_font", _("The Chinese font for printing is missing (%(path)s); install the Debian "
                                       "package fonts-wqy-microhei or set GONGHUI_CERT_FONT.") % {"path": font})
    return font


def signin_pdf(*, session, rows: list[tuple[str, str]], printed_by: str) -> bytes:
    """A4 pages of 22 lines: number, name, phone ending, signature; the session on every page."""
    from fpdf import FPDF

    activity = session.activity
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(f"{activity.title} 签到表")
    pdf.set_creator("gonghui")
    pdf.add_font("cjk", fname=str(_font()), collection_font_number=0)
    pdf.set_auto_page_break(False)
    start = timezone.localtime(session.starts_at)
    end = timezone.localtime(session.ends_at)
    chunks = [rows[i:i + ROWS_PER_PAGE] for i in range(0, len(rows), ROWS_PER_PAGE)] or [[]]
    for page_no, chunk in enumerate(chunks, 1):
        pdf.add_page()
        pdf.set_font("cjk", size=16)
        pdf.cell(0, 10, f"{activity.title} 签到表", align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=10)
        pdf.cell(0, 6, f"第 {session.number} 次 · {start:%Y-%m-%d %H:%M}–{end:%H:%M} · {activity.venue_text}",
                 align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, f"主办：{activity.node.name}　共 {len(rows)} 人　第 {page_no}/{len(chunks)} 页",
                 align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        widths = (14, 50, 36, 90)
        pdf.set_font("cjk", size=11)
        for width, head in zip(widths, ("序号", "姓名", "手机尾号", "签名"), strict=True):
            pdf.cell(width, 9, head, border=1, align="C")
        pdf.ln()
        first = (page_no - 1) * ROWS_PER_PAGE
        for i, (name, tail) in enumerate(chunk, first + 1):
            pdf.cell(widths[0], 10.5, str(i), border=1, align="C")
            pdf.cell(widths[1], 10.5, name, border=1)
            pdf.cell(widths[2], 10.5, tail, border=1, align="C")
            pdf.cell(widths[3], 10.5, "", border=1)
            pdf.ln()
        pdf.set_y(-15)
        pdf.set_font("cjk", size=8)
        pdf.cell(0, 5, f"{printed_by} 打印于 {timezone.localtime():%Y-%m-%d %H:%M}，含个人信息，用后收回", align="C")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


def _seated(activity):
    return list(selectors.bookings(activity, state="seats"))


@cadre_required
def signin_sheet(request, pk):
    session = selectors.access_session(pk)
    require(request.user, "activities.booking.export", node=session.activity.node)
    rows = [(b.name, (b.worker.phone or "")[-4:]) for b in _seated(session.activity)]
    try:
        content = signin_pdf(session=session, rows=rows, printed_by=str(request.user))
    except DomainError as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    audit("activities.signin_sheet.printed", actor=request.user, obj=session.activity,
          data={"session": session.pk, "rows": len(rows)})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="signin-{session.activity_id}-{session.number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@cadre_required
def participants_export(request, pk):
    """Who holds a seat or waits, in full (name and mobile) for the organizers who call them."""
    activity = selectors.access_activity(pk)
    require(request.user, "activities.booking.export", node=activity.node)
    rows = [(b.name, b.worker.phone, b.get_state_display(),
             timezone.localtime(b.booked_at or b.created_at).strftime("%Y-%m-%d %H:%M"), b.n_attended)
            for b in selectors.bookings(activity).exclude(state=BookingState.LEFT)]
    audit("activities.booking.exported_full", actor=request.user, obj=activity, data={"rows": len(rows)})
    content = build_workbook(title=f"{activity.title} 参加人员", exported_by=str(request.user), rows=rows,
                             headers=["姓名", "手机号码", "状态", "报名时间", "签到次数"])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}-participants.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("sessions/<int:pk>/signin-sheet.pdf", signin_sheet, name="signin_sheet"),
    path("<int:pk>/participants.xlsx", participants_export, name="participants_export"),
]
