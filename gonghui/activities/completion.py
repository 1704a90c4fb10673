"""Certificates of completion (结业证书) of courses and activities.

A participant earns one when checked in at the share of the sessions the activity sets
(``Activity.completion_percent``, default every session) on a booking that holds its seat. Nothing
is stored: the certificate number is derived from the activity and the booking, the PDF is drawn
on request, and its QR code carries a ``django.core.signing`` token naming the booking, signed with
``GONGHUI_QR_SIGNING_KEY`` (``core.printed``: the printed-code key, never the session secret). The public
verification page answers from the check-ins as they stand: valid, or not issued (a forged code,
or check-ins withdrawn since).
"""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from gonghui.core import pdf as certificate_pdf
from gonghui.core import printed
from gonghui.core.audit import audit
from gonghui.core.scoping import scopes_disabled

from .models import Activity, Attendance, Booking, BookingState, Session

TOKEN_SALT = "gonghui.activities.completion"  # noqa: S105 - a salt, not a secret


@dataclass(frozen=True)
class Progress:
    attended: int
    sessions: int
    needed: int

    @property
    def earned(self) -> bool:
        return self.sessions > 0 and self.attended >= self.needed


def needed(activity: Activity, sessions: int) -> int:
    """Sessions to attend: the activity's share of them, rounded up, at least one."""
    return max(math.ceil(sessions * activity.completion_percent / 100), 1)


def progress(booking: Booking) -> Progress:
    with scopes_disabled():
        sessions = Session.objects.filter(activity_id=booking.activity_id).count()
        attended = Attendance.objects.filter(booking=booking).count() if booking.state == BookingState.BOOKED else 0
    return Progress(attended, sessions, needed(booking.activity, sessions))


def annotated(bookings):
    """``bookings`` with their check-ins and their activity's sessions counted (``is_earned`` reads them)."""
    return (bookings
            .annotate(attended_n=Count("attendances", distinct=True),
                      sessions_n=Count("activity__sessions", distinct=True))
            .select_related("activity"))


def is_earned(b) -> bool:
    return b.state == BookingState.BOOKED and b.sessions_n > 0 and b.attended_n >= needed(b.activity, b.sessions_n)


def earned_bookings_of_worker(worker) -> list[Booking]:
    """The worker's bookings that earned a certificate, newest activity first (one query)."""
    with scopes_disabled():
        rows = annotated(Booking.objects.filter(worker=worker, state=BookingState.BOOKED)
                         .order_by("-activity__starts_at", "-pk"))
        return [b for b in rows if is_earned(b)]


def certificate_count(worker) -> int:
    return len(earned_bookings_of_worker(worker))


def earned_ids(activity: Activity) -> set[int]:
    """Booking ids of an activity whose holders earned a certificate, for the participants list."""
    with scopes_disabled():
        sessions = Session.objects.filter(activity=activity).count()
        if not sessions:
            return set()
        rows = (Booking.objects.filter(activity=activity, state=BookingState.BOOKED)
                .annotate(n=Count("attendances")).filter(n__gte=needed(activity, sessions)).values_list("pk", flat=True))
        return set(rows)


def serial(booking: Booking) -> str:
    """The certificate number: fixed by the activity and the booking, so a reprint keeps it."""
    return f"JY{booking.activity_id:06d}{booking.pk:08d}"


def hours(activity: Activity) -> Decimal:
    """The course's hours (学时): the length of all its sessions."""
    with scopes_disabled():
        seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in Session.objects.filter(activity=activity))
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def completed_on(booking: Booking):
    """The day of the check-in that completed the course (the latest one)."""
    with scopes_disabled():
        last = Attendance.objects.filter(booking=booking).order_by("-at").values_list("at", flat=True).first()
    return timezone.localdate(last) if last else timezone.localdate()


# --- the QR code --------------------------------------------------------------------------------------

def make_token(booking: Booking) -> str:
    return printed.dumps({"b": booking.pk}, salt=TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class Verdict:
    valid: bool
    booking: Booking | None = None


def verify(token: str) -> Verdict:
    """Valid when the code was signed here and its holder still meets the activity's requirement."""
    try:
        payload = printed.loads(token, salt=TOKEN_SALT)
        pk = int(payload["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Verdict(False)
    with scopes_disabled():
        booking = Booking.objects.select_related("activity__node").filter(pk=pk).first()
    if booking is None or not progress(booking).earned:
        return Verdict(False)
    return Verdict(True, booking)


# --- the PDF ------------------------------------------------------------------------------------------

def render(*, booking: Booking, verify_url: str) -> bytes:
    """The A4 certificate in the shared certificate frame (``core.pdf``)."""
    activity = booking.activity
    p = progress(booking)
    number, union = serial(booking), activity.node.name
    pdf = certificate_pdf.page(title=f"结业证书 {number}", author=union)
    certificate_pdf.heading(pdf, "结 业 证 书", y=34, size=32)
    pdf.set_text_color(*certificate_pdf.INK)
    pdf.set_font(certificate_pdf.FONT, size=11)
    pdf.set_xy(13, 54)
    pdf.cell(184, 8, f"证书编号：{number}", align="C")

    pdf.set_font(certificate_pdf.FONT, size=16)
    pdf.set_xy(28, 80)
    pdf.multi_cell(154, 11, f"{booking.name} 同志：", align="L")
    pdf.set_xy(28, 96)
    pdf.multi_cell(154, 11, f"　　于 {activity.starts_at:%Y年%m月%d日} 至 {activity.ends_at:%Y年%m月%d日} 参加"
                            f"{union}举办的“{activity.title}”，共 {hours(activity)} 学时，"
                            f"出勤 {p.attended} / {p.sessions} 次，完成学习，准予结业。特发此证。", align="L")
    pdf.set_font(certificate_pdf.FONT, size=10)
    pdf.set_text_color(*certificate_pdf.GREY)
    pdf.set_xy(28, 170)
    pdf.multi_cell(154, 5.5, "本证书由工会服务平台依据签到记录出具，扫描二维码可核验真伪。")

    certificate_pdf.qr_code(pdf, verify_url)
    certificate_pdf.seal(pdf, union, text_y=231)
    pdf.set_font(certificate_pdf.FONT, size=12)
    pdf.set_text_color(*certificate_pdf.INK)
    pdf.set_xy(110, 262)
    pdf.cell(84, 8, union, align="C")
    pdf.set_xy(110, 270)
    pdf.cell(84, 8, f"{completed_on(booking):%Y年%m月%d日}", align="C")
    return certificate_pdf.output(pdf)


def certificate_for(*, actor, booking_pk, verify_url_of) -> tuple[str, bytes]:
    """The worker's own certificate (file name, PDF); 404 for another's booking or one not earned.
    ``verify_url_of(token)`` gives the absolute verification address printed in the QR code."""
    with scopes_disabled():
        try:
            booking = Booking.objects.select_related("activity__node").get(pk=booking_pk, worker=actor)
        except (Booking.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
    if not progress(booking).earned:
        raise Http404
    data = render(booking=booking, verify_url=verify_url_of(make_token(booking)))
    audit("activities.certificate.download", obj=booking, node=booking.activity.node,
          data={"activity": booking.activity_id})
    return f"certificate-{serial(booking)}.pdf", data

