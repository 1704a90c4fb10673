""""我的": the worker's hub after sign-in. One tile per thing the platform holds for them, each with
a count or a state read from its module's selectors (membership, courses and activities, claims,
aid and micro-wishes, book loans, volunteering, messages, data and privacy), and the volunteer
pages (join a team, volunteer activities, hours and commendations).

The URL patterns below are joined into the worker namespace by worker/urls.py."""

import importlib

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import Resolver404, path, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import worker_required
from gonghui.activities import selectors as activities
from gonghui.activities.services import volunteers
from gonghui.aid import selectors as aid
from gonghui.core.errors import DomainError
from gonghui.core.masking import mask_phone
from gonghui.members import selectors as members
from gonghui.positions import selectors as positions
from gonghui.rights import selectors as rights

INBOX_PATH = "/w/inbox/"
PRIVACY_PATH = "/w/privacy/"
COUNSELLING_PATH = "/w/counselling/"


def _page_exists(url: str) -> bool:
    try:
        resolve(url)
    except Resolver404:
        return False
    return True


def _unread(worker) -> int | None:
    """Unread messages, when the messaging app is installed and offers its selector."""
    if not apps.is_installed("gonghui.messaging"):
        return None
    try:
        selectors = importlib.import_module("gonghui.messaging.selectors")
    except ImportError:
        return None
    unread_count = getattr(selectors, "unread_count", None)
    return unread_count(worker) if unread_count else None


def _tile(title, url, state, *, count=None, alert=False) -> dict:
    return {"title": title, "url": url, "state": state, "count": count, "alert": alert}


def hub_tiles(worker, member) -> list[dict]:
    """The tiles of "我的", each with its count or state (one or two queries a tile)."""
    tiles = []
    if member is not None:
        tiles.append(_tile(_("Membership and card"), reverse("worker:card"),
                           _("Member of %(union)s") % {"union": member.node.name}))
    else:
        pending = [a for a in members.applications_of_worker(worker) if a.status == "pending"]
        tiles.append(_tile(_("Join the union"), reverse("worker:membership") if pending else reverse("worker:join_find"),
                           _("Application under review, due by %(date)s") % {"date": pending[0].due_on.strftime("%Y-%m-%d")}
                           if pending else _("Not a member yet: find your union"), alert=not pending))
    b = activities.worker_summary(worker)
    parts = []
    if b["booked"]:
        parts.append(ngettext("%(n)d seat", "%(n)d seats", b["booked"]) % {"n": b["booked"]})
    if b["offered"]:
        parts.append(ngettext("%(n)d offer to confirm", "%(n)d offers to confirm", b["offered"]) % {"n": b["offered"]})
    if b["waiting"]:
        parts.append(ngettext("%(n)d waiting place", "%(n)d waiting places", b["waiting"]) % {"n": b["waiting"]})
    if b["attended"]:
        parts.append(ngettext("checked in at %(n)d", "checked in at %(n)d", b["attended"]) % {"n": b["attended"]})
    certificates = b["certificates"]
    if certificates:
        parts.append(ngettext("%(n)d certificate of completion", "%(n)d certificates of completion", certificates)
                     % {"n": certificates})
    tiles.append(_tile(_("My courses and activities"), reverse("worker:my_courses"),
                       " · ".join(parts) or _("None yet: see the courses"), count=b["booked"] + b["offered"] + b["waiting"],
                       alert=bool(b["offered"])))
    c = rights.claims_summary_of_worker(worker)
    latest = c["latest"]
    tiles.append(_tile(_("My claims"), reverse("worker:claims"),
                       (ngettext("%(n)d open", "%(n)d open", c["open"]) % {"n": c["open"]}
                        + " · " + _("latest: %(stage)s") % {"stage": latest.get_stage_display()})
                       if latest else _("None: report a problem at work"), count=c["open"]))
    a = aid.aid_summary_of_worker(worker, member)
    state = []
    if a["latest"] is not None:
        state.append(_("aid: %(status)s") % {"status": a["latest"].get_status_display()})
    if a["wishes_total"]:
        state.append(ngettext("%(n)d micro-wish", "%(n)d micro-wishes", a["wishes_total"]) % {"n": a["wishes_total"]})
    tiles.append(_tile(_("My aid and micro-wishes"), reverse("worker:aid"),
                       " · ".join(state) or _("No application"), count=a["pending"] + a["wishes_live"]))
    if member is not None:
        loans = positions.loans_summary_of_member(member)
        tiles.append(_tile(_("My book loans"), reverse("worker:my_loans"),
                           (ngettext("%(n)d book out", "%(n)d books out", loans["open"]) % {"n": loans["open"]}
                            + (" · " + _("%(n)d overdue") % {"n": loans["overdue"]} if loans["overdue"] else ""))
                           if loans["open"] else _("No book out"), count=loans["open"], alert=bool(loans["overdue"])))
        v = activities.volunteer_summary(member)
        tiles.append(_tile(_("My volunteering"), reverse("worker:volunteers"),
                           (_("%(teams)s · %(hours)s hours") % {"teams": "、".join(t.team.name for t in v["teams"]),
                                                                 "hours": v["hours"]})
                           if v["teams"] else _("Not in a team: join one"), count=len(v["teams"]) or None))
    if _page_exists(INBOX_PATH):
        unread = _unread(worker)
        tiles.append(_tile(_("My messages"), INBOX_PATH,
                           ngettext("%(n)d unread", "%(n)d unread", unread) % {"n": unread} if unread
                           else _("No unread message"), count=unread or None, alert=bool(unread)))
    if apps.is_installed("gonghui.counselling") and _page_exists(COUNSELLING_PATH):
        tiles.append(_tile(_("Counselling"), COUNSELLING_PATH,
                           _("Book a confidential session with a counsellor")))
    if apps.is_installed("gonghui.privacy") and _page_exists(PRIVACY_PATH):
        tiles.append(_tile(_("My data and privacy"), PRIVACY_PATH,
                           _("Download, correct or delete your data")))
    return tiles


@worker_required
def me(request):
    member = members.membership_of_worker(request.worker)
    response = render(request, "worker/me.html", {
        "title": _("Me"), "member": member, "phone": mask_phone(request.worker.phone),
        "tiles": hub_tiles(request.worker, member)})
    response["Cache-Control"] = "no-store"
    return response


# --- volunteers on the phone -----------------------------------------------------------------------

@worker_required
def volunteer_home(request):
    """My teams, hours and commendations; teams I may join; volunteer activities to sign up for."""
    member = members.membership_of_worker(request.worker)
    context = {"member": member, "activities": activities.volunteer_activities(request.worker,
                                                                                now=timezone.now())}
    if member is not None:
        summary = activities.volunteer_summary(member)
        mine = {v.team_id for v in summary["teams"]}
        context.update(summary=summary, record=activities.volunteer_record(member),
                       joinable=[t for t in activities.teams_for_member(member) if t.pk not in mine])
    return render(request, "worker/volunteers/home.html", context)


@worker_required
@require_POST
def volunteer_join(request, pk):
    team = next((t for t in _teams(request.worker) if t.pk == pk), None)
    if team is None:
        raise Http404
    try:
        volunteers.join_team_as_worker(actor=request.worker, team=team)
    except (DomainError, ValidationError) as exc:
        messages.error(request, getattr(exc, "message", None) or " ".join(exc.messages))
    else:
        messages.success(request, _("Welcome to %(team)s. The team leader will be in touch.") % {"team": team.name})
    return redirect("worker:volunteers")


def _teams(worker):
    member = members.membership_of_worker(worker)
    return activities.teams_for_member(member) if member is not None else []


@worker_required
def my_loans(request):
    member = members.membership_of_worker(request.worker)
    loans = positions.loans_of_member(member) if member is not None else []
    return render(request, "worker/loans.html", {"member": member, "loans": loans, "today": timezone.localdate(),
                                                 "latest": positions.WORKER_LOANS if len(loans) >= positions.WORKER_LOANS else 0})


urlpatterns = [
    path("volunteers/", volunteer_home, name="volunteers"),
    path("volunteers/teams/<int:pk>/join/", volunteer_join, name="volunteer_join"),
    path("loans/", my_loans, name="my_loans"),
]
