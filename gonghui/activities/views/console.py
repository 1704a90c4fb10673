"""Console pages of activities: list, create, edit, publish, close, cancel; bookings and the
waiting list with export; terms and copying a term; check-in at the venue (a phone page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required
from gonghui.accounts.permissions import allowed, require
from gonghui.core import editing
from gonghui.core.audit import audit
from gonghui.core.dbrouting import replica_reads
from gonghui.core.errors import DomainError
from gonghui.core.forms import apply_errors
from gonghui.core.masking import mask_name, mask_phone
from gonghui.core.paging import chooser, paged
from gonghui.core.xlsx import XLSX_CONTENT_TYPE, build_workbook
from gonghui.orgs import selectors as orgs

from .. import completion, selectors
from ..forms import ActivityForm, CheckInForm, CopyTermForm, FilterForm, MoveForm, ReasonForm, TermForm
from ..models import BookingState, State
from ..services import catalogue, signup, staff


@cadre_required
def activity_list(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    form = FilterForm(request.GET or None)
    filters = {"node": node}
    if form.is_valid():
        filters.update(query=form.cleaned_data["q"], state=form.cleaned_data["state"],
                       kind=form.cleaned_data["kind"])
    page = Paginator(selectors.activity_list(**filters), 50).get_page(request.GET.get("page"))
    roots = orgs.scope_roots()
    anchor = node or (roots[0] if roots else None)
    return render(request, "activities/list.html", {
        "form": form, "node": node, "page": page, "query": request.GET.urlencode(),
        "create_node": anchor if anchor is not None and allowed(request.user, "activities.activity.update", node=anchor) else None,
    })


def _activity_form(request, node, initial=None):
    """The form and its venue chooser: a county may hold thousands of positions, so the select
    offers the first rows with "showing N of M" and a search box (``core.paging.chooser``); the
    venue posted (or the activity's own) is among the choices even when the list does not show it."""
    venues = chooser(request, selectors.venue_choices(node), key="vq",
                     search=lambda rows, term: selectors.venue_choices(node, query=term))
    offered = list(venues.rows)
    chosen = str(request.POST.get("venue", "") if request.method == "POST" else (initial or {}).get("venue", ""))
    if chosen.isdigit() and chosen not in {str(v.pk) for v in offered}:
        offered += list(selectors.venue_choices(node).filter(pk=int(chosen)))
    form = ActivityForm(request.POST or None, initial=initial, terms=list(selectors.terms_for(node)), venues=offered)
    return form, venues


@cadre_required
def activity_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "activities.activity.create", node=node)
    form, venues = _activity_form(request, node, initial={"sessions": 1, "offer_hours": 24,
                                                                 "completion_percent": 100})
    if request.method == "POST" and form.is_valid():
        fields, sessions = form.service_fields()
        try:
            activity = catalogue.create_activity(node=node, actor=request.user, sessions=sessions, **fields)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved as a draft; publish it when it is ready."))
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "node": node, "venues": venues})


@cadre_required
def activity_edit(request, pk):
    activity = selectors.access_activity(pk)
    require(request.user, "activities.activity.update", node=activity.node)
    local = {f: timezone.localtime(getattr(activity, f)) for f in
             ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at")}
    initial = {f: getattr(activity, f) for f in ("title", "kind", "audience", "venue_text", "capacity",
                                                 "waitlist_mode", "offer_hours", "description",
                                                 "completion_percent")}
    initial.update(local, term=str(activity.term_id or ""), venue=str(activity.venue_id or ""),
                   sessions=activity.sessions.count())
    form, venues = _activity_form(request, activity.node, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields, sessions = form.service_fields()
        try:
            catalogue.update_activity(activity=activity, actor=request.user, sessions=sessions,
                                      expected_version=editing.version_from_post(request), **fields)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:detail", pk=activity.pk)
    # The version the form was rendered with goes back with it (a stale form is refused, core.editing).
    version = request.POST.get("version", "") if request.method == "POST" else selectors.activity_version(activity)
    return render(request, "activities/form.html", {"form": form, "node": activity.node, "activity": activity,
                                                    "version": version, "venues": venues})


@cadre_required
def activity_detail(request, pk):
    activity = selectors.access_activity(pk)
    staff = allowed(request.user, "activities.booking.list", node=activity.node)
    # Every list pages (its own page number in the address, the others' kept): nobody on the waiting
    # list or among the ratings is out of the organiser's reach past a silent cap.
    page, query = paged(request, selectors.bookings(activity, state="seats"), 100) if staff else (None, "")
    waiting, waiting_query = (paged(request, selectors.waitlist(activity), 100, key="wpage") if staff
                              else (None, ""))
    ratings, ratings_query = paged(request, selectors.ratings(activity), 50, key="rpage")
    return render(request, "activities/detail.html", {
        "a": activity, "staff": staff, "page": page, "query": query,
        "rows": [(b, mask_name(b.name), mask_phone(b.worker.phone)) for b in page] if page else [],
        "certified": completion.earned_ids(activity) if staff else set(),  # 结业证书 earned
        "waiting_page": waiting, "waiting_query": waiting_query,
        "waiting": [(waiting.start_index() + i, b, mask_name(b.name)) for i, b in enumerate(waiting)] if waiting else [],
        "sessions": selectors.sessions_with_attendance(activity),
        "rating": selectors.rating_summary(activity),
        "ratings_page": ratings, "ratings_query": ratings_query,
        "ratings": [(r, mask_name(r.booking.name)) for r in ratings],
        "can_edit": allowed(request.user, "activities.activity.update", node=activity.node),
        "cancel_form": ReasonForm(), "move_form": MoveForm(), "now": timezone.now(),
    })


@cadre_required
@require_POST
def activity_action(request, pk, action):
    activity = selectors.access_activity(pk)
    try:
        if action == "publish":
            catalogue.publish_activity(activity=activity, actor=request.user)
            messages.success(request, _("Published; workers can see it now."))
        elif action == "close":
            catalogue.close_activity(activity=activity, actor=request.user)
            messages.success(request, _("Sign-up closed."))
        else:
            catalogue.cancel_activity(activity=activity, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Cancelled; everyone signed up has been told."))
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    return redirect("activities:detail", pk=activity.pk)


@cadre_required
@require_POST
def waitlist_move(request, pk):
    """Staff move a waiting person (``pk`` is the booking) to a new position, with the reason."""
    booking = selectors.access_booking(pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            signup.move_in_waitlist(booking=booking, actor=request.user, position=form.cleaned_data["position"],
                                    reason=form.cleaned_data["reason"])
            messages.success(request, _("The waiting list order was changed."))
        except (DomainError, ValidationError) as exc:
            messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    else:
        messages.error(request, _("Give the new position and the reason."))
    return redirect("activities:detail", pk=booking.activity_id)


@cadre_required
@require_POST
def waitlist_remove(request, pk):
    """Staff take a waiting person (``pk`` is the booking) off the list on their behalf, with the reason."""
    booking = selectors.access_booking(pk)
    try:
        staff.remove_from_waitlist(booking=booking, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Taken off the waiting list; the person has been told."))
    except (DomainError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, DomainError) else " ".join(exc.messages))
    return redirect("activities:detail", pk=booking.activity_id)


@cadre_required
@replica_reads
def bookings_export(request, pk):
    activity = selectors.access_activity(pk)
    require(request.user, "activities.booking.export", node=activity.node)
    rows = [(b.name and mask_name(b.name), mask_phone(b.worker.phone), b.get_state_display(),
             timezone.localtime(b.booked_at or b.created_at).strftime("%Y-%m-%d %H:%M:%S"), b.n_attended)
            for b in selectors.bookings(activity).exclude(state=BookingState.LEFT).iterator(chunk_size=2000)]
    audit("activities.booking.exported", actor=request.user, obj=activity, data={"rows": len(rows)})
    content = build_workbook(title=f"{activity.title} 报名名单", exported_by=str(request.user), rows=rows,
                             headers=["姓名", "手机号码", "状态", "报名时间", "签到次数"])
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}-bookings.xlsx"'
    return response


@cadre_required
def check_in(request, pk):
    """A phone page for staff at the venue: scan (or type) the booking code; a repeat counts once."""
    session = selectors.access_session(pk)
    require(request.user, "activities.attendance.check_in", node=session.activity.node)
    form = CheckInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            attendance, created = signup.check_in(session=session, token=form.cleaned_data["ticket"],
                                                  actor=request.user)
        except DomainError as exc:
            result = {"ok": False, "text": exc.message}
        else:
            result = {"ok": True, "text": (_("Checked in: %(name)s") if created else _("Already checked in: %(name)s"))
                      % {"name": mask_name(attendance.booking.name)}}
        form = CheckInForm()
    return render(request, "activities/checkin.html", {"session": session, "form": form, "result": result,
                                                       "count": session.attendances.count()})


@cadre_required
def term_list(request):
    node = orgs.access_node(request.GET["node"]) if request.GET.get("node") else None
    roots = orgs.scope_roots()
    anchor = node or (roots[0] if roots else None)
    terms, query = paged(request, selectors.term_list(node=node))
    return render(request, "activities/terms.html", {
        "terms": terms, "query": query, "node": node,
        "create_node": anchor if anchor is not None and allowed(request.user, "activities.activity.update", node=anchor) else None})


@cadre_required
def term_create(request):
    node = orgs.access_node(request.GET.get("node") or request.POST.get("node"))
    require(request.user, "activities.term.create", node=node)
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue.create_term(node=node, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Term created."))
            return redirect("activities:terms")
    return render(request, "activities/simple_form.html", {"form": form, "node": node, "title": _("New term")})


@cadre_required
def term_copy(request, pk):
    term = selectors.access_term(pk)
    require(request.user, "activities.term.create", node=term.node)
    form = CopyTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = catalogue.copy_term(term=term, actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Copied as drafts into %(term)s; check the dates and publish.")
                             % {"term": new.name})
            return redirect(f"{_list_url()}?state={State.DRAFT}")
    return render(request, "activities/simple_form.html", {"form": form, "node": term.node,
                                                           "title": _("Copy “%(term)s”") % {"term": term.name}})


def _list_url():
    from django.urls import reverse

    return reverse("activities:list")


urlpatterns = [
    path("", activity_list, name="list"),
    path("new/", activity_create, name="create"),
    path("<int:pk>/", activity_detail, name="detail"),
    path("<int:pk>/edit/", activity_edit, name="edit"),
    path("<int:pk>/publish/", activity_action, {"action": "publish"}, name="publish"),
    path("<int:pk>/close/", activity_action, {"action": "close"}, name="close"),
    path("<int:pk>/cancel/", activity_action, {"action": "cancel"}, name="cancel"),
    path("bookings/<int:pk>/move/", waitlist_move, name="waitlist_move"),
    path("bookings/<int:pk>/remove/", waitlist_remove, name="waitlist_remove"),
    path("<int:pk>/bookings.xlsx", bookings_export, name="export"),
    path("sessions/<int:pk>/check-in/", check_in, name="checkin"),
    path("terms/", term_list, name="terms"),
    path("terms/new/", term_create, name="term_create"),
    path("terms/<int:pk>/copy/", term_copy, name="term_copy"),
]
