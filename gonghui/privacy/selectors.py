"""Reads of personal-information rights: consent, requests, and everything held about a worker,
gathered from each module's records (the worker's own, found by their account and verified phone)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.accounts.permissions import scope_for
from gonghui.activities.models import Attendance, Booking, Rating, ServiceHours, Volunteer
from gonghui.aid.models import Application, Disbursement, HardshipFile, Objection, Wish
from gonghui.aid.models import Status as AidStatus
from gonghui.core.scoping import scopes_disabled
from gonghui.members.models import JoinApplication, Member, MemberStatus, Prospect, Transfer
from gonghui.positions.models import Loan
from gonghui.rights.models import Case
from gonghui.rights.workflow import OPEN_STAGES

from . import retention
from .models import Consent, PrivacyRequest, RequestStatus

ANON_PREFIX = "anon-"


def is_anonymised(worker) -> bool:
    return worker.phone_hash.startswith(ANON_PREFIX)


def current_consent(worker) -> Consent | None:
    return (Consent.objects.filter(worker=worker, version=settings.GONGHUI_PRIVACY_NOTICE_VERSION,
                                   withdrawn_at__isnull=True).first())


def has_current_consent(worker) -> bool:
    return current_consent(worker) is not None


def consents_of(worker) -> list[Consent]:
    return list(Consent.objects.filter(worker=worker))


def requests_of_worker(worker) -> list[PrivacyRequest]:
    with scopes_disabled():
        return list(PrivacyRequest.objects.filter(worker=worker).select_related("node").order_by("-submitted_at"))


# --- what the platform holds about a worker ----------------------------------------------------------------

def _case_q(worker) -> Q:
    return Q(worker=worker) | Q(claimant_phone_hash=worker.phone_hash)


def memberships_of(worker) -> list[Member]:
    """Every roster row with the worker's verified phone (the active one and earlier ones)."""
    with scopes_disabled():
        return list(Member.objects.filter(phone_hash=worker.phone_hash).select_related("node"))


def _aid_q(worker, members) -> Q:
    return Q(worker=worker) | Q(member__in=members)


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


def _d(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def personal_data(worker) -> list[Sheet]:
    """One sheet per kind of record, with Chinese (the user's language) headings; the worker's own
    data in full, other people's data left out."""
    members = memberships_of(worker)
    sheets = [Sheet(_("Account"), [_("mobile"), _("first signed in"), _("last signed in")],
                    [[worker.phone, _d(worker.created_at), _d(worker.last_login)]])]
    sheets.append(Sheet(_("Privacy notice consents"), [_("notice version"), _("accepted at"), _("withdrawn at")],
                        [[c.version, _d(c.accepted_at), _d(c.withdrawn_at)] for c in consents_of(worker)]))
    sheets.append(Sheet(pgettext("data sheet", "Membership"), [_("union"), pgettext("person", "name"), _("gender"), _("birth date"), _("ethnicity"),
                                          _("resident ID number"), _("mobile"), _("education"), _("political status"),
                                          _("employer"), _("employment form"), _("member card number"),
                                          _("joined on"), _("status")],
                        [[m.node.name, m.name, m.get_gender_display(), _d(m.birth_date), m.ethnicity, m.id_number,
                          m.phone, m.get_education_display(), m.get_political_status_display(), m.employer_name,
                          m.get_employment_form_display(), m.card_number, _d(m.joined_on), m.get_status_display()]
                         for m in members]))
    with scopes_disabled():
        sheets.append(Sheet(_("Join applications"), [_("union"), pgettext("person", "name"), _("resident ID number"), _("mobile"),
                                                     _("employer"), _("submitted at"), _("status")],
                            [[a.node.name, a.name, a.id_number, a.phone, a.employer_name, _d(a.submitted_at),
                              a.get_status_display()]
                             for a in JoinApplication.objects.filter(worker=worker).select_related("node")]))
        sheets.append(Sheet(_("Transfers"), [_("from"), _("to"), _("status"), _("requested at")],
                            [[t.from_node.name, t.to_node.name, t.get_status_display(), _d(t.requested_at)]
                             for t in Transfer.objects.filter(member__in=members).select_related("from_node",
                                                                                                  "to_node")]))
        sheets.append(Sheet(_("Served before joining"), [_("union"), _("service used"), _("first served"),
                                                         _("times served")],
                            [[p.node.name, p.service, _d(p.first_served_at), p.times_served]
                             for p in Prospect.objects.filter(phone_hash=worker.phone_hash).select_related("node")]))
        bookings = list(Booking.objects.filter(worker=worker).select_related("activity"))
        sheets.append(Sheet(_("Courses and activities"), [_("activity"), pgettext("person", "name"), _("status"), _("booked at")],
                            [[b.activity.title, b.name, b.get_state_display(), _d(b.booked_at or b.created_at)]
                             for b in bookings]))
        sheets.append(Sheet(pgettext("data sheet", "Check-ins"), [_("activity"), _("session"), _("time")],
                            [[a.booking.activity.title, _d(a.session.starts_at), _d(a.at)]
                             for a in Attendance.objects.filter(booking__in=bookings)
                             .select_related("booking__activity", "session")]))
        sheets.append(Sheet(_("Ratings"), [_("activity"), _("rating"), pgettext_comment(), _("time")],
                            [[r.activity.title, r.score, r.comment, _d(r.created_at)]
                             for r in Rating.objects.filter(worker=worker).select_related("activity")]))
        volunteers = list(Volunteer.objects.filter(member__in=members).select_related("team"))
        sheets.append(Sheet(_("Volunteering"), [_("team"), _("joined on"), _("left on"), _("hours")],
                            [[v.team.name, _d(v.joined_on), _d(v.left_on),
                              sum((h.hours for h in ServiceHours.objects.filter(volunteer=v)), 0)]
                             for v in volunteers]))
        sheets.append(Sheet(_("Book loans"), [_("book"), _("lent on"), _("due on"), _("returned on")],
                            [[str(loan.copy.book), _d(loan.lent_on), _d(loan.due_on), _d(loan.returned_on)]
                             for loan in Loan.objects.filter(member__in=members).select_related("copy__book")]))
        sheets.append(Sheet(_("Claims"), [_("tracking code"), _("union"), _("category"), _("claimant"), _("mobile"),
                                          _("employer"), _("what happened"), _("stage"), _("submitted at")],
                            [[c.tracking_code, c.node.name, c.get_category_display(), c.claimant_name,
                              c.claimant_phone, c.employer_name, c.facts, c.get_stage_display(), _d(c.submitted_at)]
                             for c in Case.objects.filter(_case_q(worker)).select_related("node")]))
        sheets.append(Sheet(_("Assistance applications"), [_("programme"), pgettext("person", "name"), _("resident ID number"),
                                                           _("reason"), _("amount requested"), _("amount approved"),
                                                           _("status"), _("submitted at")],
                            [[a.programme.name, a.name, a.id_number, a.reason, a.amount_requested,
                              a.amount_approved, a.get_status_display(), _d(a.submitted_at)]
                             for a in Application.objects.filter(_aid_q(worker, members)).select_related("programme")]))
        sheets.append(Sheet(_("Hardship registry"), [_("union"), pgettext("person", "name"), _("level"), pgettext("hardship", "registered on"),
                                                     _("status")],
                            [[h.node.name, h.name, h.get_level_display(), _d(h.registered_on), h.get_status_display()]
                             for h in HardshipFile.objects.filter(Q(phone_hash=worker.phone_hash) |
                                                                  Q(member__in=members)).select_related("node")]))
        sheets.append(Sheet(_("Micro-wishes"), [_("wish"), pgettext("person", "name"), _("status"), _("posted at")],
                            [[w.title, w.name, w.get_status_display(), _d(w.posted_at)]
                             for w in Wish.objects.filter(worker=worker)]))
        sheets.append(Sheet(_("Objections"), [_("reason"), _("status"), _("filed at")],
                            [[o.reason, o.get_status_display(), _d(o.filed_at)]
                             for o in Objection.objects.filter(worker=worker)]))
    sheets.append(Sheet(_("Personal-information requests"), [_("request"), _("status"), _("submitted at"),
                                                             _("answer")],
                        [[r.get_kind_display(), r.get_status_display(), _d(r.submitted_at), r.decision_note]
                         for r in requests_of_worker(worker)]))
    return sheets


def pgettext_comment() -> str:
    from django.utils.translation import pgettext

    return pgettext("rating", "comment")


# --- deletion: what stops it, what is kept --------------------------------------------------------------

@dataclass
class Blocker:
    code: str
    message: str


def deletion_blockers(worker) -> list[Blocker]:
    """Records that must end before the worker's data can be deleted, each named."""
    members = memberships_of(worker)
    blockers = []
    with scopes_disabled():
        for case in Case.objects.filter(_case_q(worker), stage__in=OPEN_STAGES):
            blockers.append(Blocker("open_claim", _("Your claim %(code)s is still being handled; it must be closed "
                                                    "or withdrawn first.") % {"code": case.tracking_code}))
        for app in (Application.objects.filter(_aid_q(worker, members))
                    .filter(status__in=[AidStatus.SUBMITTED, AidStatus.FIRST_PASSED, AidStatus.APPROVED])
                    .select_related("programme")):
            if app.status == AidStatus.APPROVED:
                text = _("Your assistance from “%(programme)s” is approved but not paid yet; it must be paid "
                         "or withdrawn first.")
            else:
                text = _("Your application to “%(programme)s” is under review; it must be decided or withdrawn "
                         "first.")
            blockers.append(Blocker("unpaid_aid" if app.status == AidStatus.APPROVED else "aid_in_review",
                                    text % {"programme": app.programme.name}))
        if JoinApplication.objects.filter(worker=worker, status="pending").exists():
            blockers.append(Blocker("pending_join", _("Your join application is under review; withdraw it first.")))
    return blockers


@dataclass
class Kept:
    what: str
    why: str
    until: datetime.date | None


def paid_on_by_application(applications) -> dict[int, datetime.date]:
    with scopes_disabled():
        return dict(Disbursement.objects.filter(application__in=applications).values("application_id")
                    .annotate(last=Max("paid_on")).values_list("application_id", "last"))


def retained_after_deletion(worker) -> list[Kept]:
    """What a deletion keeps, and until when: the legal retention exceptions shown to the worker."""
    members = memberships_of(worker)
    kept = []
    with scopes_disabled():
        paid = list(Application.objects.filter(_aid_q(worker, members), status=AidStatus.PAID)
                    .select_related("programme"))
        last_paid = paid_on_by_application(paid)
        for app in paid:
            ended = last_paid.get(app.pk) or timezone.localtime(app.decided_at or app.submitted_at).date()
            kept.append(Kept(_("Paid assistance from “%(programme)s” (name, ID number, amount)")
                             % {"programme": app.programme.name},
                             str(retention.RECORD_TYPES["aid_paid"][1]), retention.keep_until("aid_paid", ended)))
        for member in members:
            if member.status == MemberStatus.ACTIVE:
                kept.append(Kept(_("Your membership of %(union)s") % {"union": member.node.name},
                                 _("kept while you are a member; to leave, ask your union"), None))
        if HardshipFile.objects.filter(Q(phone_hash=worker.phone_hash) | Q(member__in=members),
                                       status="active").exists():
            kept.append(Kept(_("Your file on the hardship registry"),
                             _("kept while your household receives support; ask your union to close it"), None))
    return kept


# --- the console ------------------------------------------------------------------------------------------

def visible_requests(user):
    within = scope_for(user, "privacy.request.view")
    if within is None:  # a superuser
        return PrivacyRequest.objects.all()
    return PrivacyRequest.objects.filter(node__path__within=within)


def pending_requests(user):
    return visible_requests(user).filter(status=RequestStatus.PENDING).select_related("node").order_by("due_on", "id")


def access_request(user, pk) -> PrivacyRequest:
    try:
        return visible_requests(user).select_related("node", "worker").get(pk=pk)
    except (PrivacyRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def request_of_worker(worker, pk) -> PrivacyRequest:
    with scopes_disabled():
        try:
            return PrivacyRequest.objects.select_related("node").get(pk=pk, worker=worker)
        except (PrivacyRequest.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
