"""Pages: the worker's inbox (/w/inbox/) and the county's outbox for staff (/messaging/outbox/)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gonghui.accounts.decorators import cadre_required, worker_required
from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.core.masking import mask_phone
from gonghui.core.paging import paged

from . import selectors, services
from .models import Bulletin, Message, Notice, State


@worker_required
def inbox(request):
    page = Paginator(selectors.inbox(request.worker), 30).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.worker)
    return render(request, "messaging/inbox.html", {"page": page, "unread": unread,
                                                    "opted_out": selectors.opted_out(request.worker),
                                                    "bulletins": selectors.bulletins_for_worker(request.worker)})


@worker_required
@require_POST
def inbox_opt_out(request):
    """No more ordinary notices to groups (essential ones and messages about one's own affairs still come)."""
    from . import notices

    if request.POST.get("opt_out") == "1":
        notices.opt_out(worker=request.worker)
    else:
        notices.opt_in(worker=request.worker)
    return redirect("inbox:list")


@worker_required
@require_POST
def inbox_read(request):
    """Mark one message (``id``) or all of them read."""
    ids = request.POST.getlist("id") or None
    services.mark_read(worker=request.worker, message_ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    return redirect("inbox:list")


@cadre_required
def outbox(request):
    if not selectors.can_see_outbox(request.user):
        raise PermissionDenied("messaging.view_outbox")
    state = request.GET.get("state", State.PARKED)
    state = state if state in State.values or state == "" else State.PARKED
    page = Paginator(selectors.outbox_rows(state=state), 50).get_page(request.GET.get("page"))
    rows = [{"m": m, "phone": mask_phone(m.phone)} for m in page]
    return render(request, "messaging/outbox.html", {"page": page, "rows": rows, "state": state,
                                                      "states": State.choices, "figures": selectors.figures()})


@cadre_required
@require_POST
def requeue(request, pk: int):
    message = get_object_or_404(Message, pk=pk)
    try:
        services.requeue_message(actor=request.user, message=message)
    except DomainError:
        pass  # already queued again by someone else: the list shows its state
    return redirect(reverse("messaging:outbox") + "?state=parked")


def _ics_text(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def course_calendar(request, pk: int):
    """A published course's sessions as an iCalendar file, for a phone's calendar (public, like the course page)."""
    from django.http import Http404, HttpResponse
    from django.utils import timezone

    from gonghui.activities.models import Activity, Session
    from gonghui.activities.models import State as ActivityState
    from gonghui.core.scoping import scopes_disabled

    with scopes_disabled():
        activity = Activity.objects.filter(pk=pk, state__in=[ActivityState.PUBLISHED, ActivityState.CLOSED]).first()
        if activity is None:
            raise Http404
        sessions = list(Session.objects.filter(activity=activity).order_by("number"))
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gonghui//courses//ZH", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(activity.title)}"]
    for session in sessions:
        lines += ["BEGIN:VEVENT", f"UID:session-{session.pk}@gonghui", f"DTSTAMP:{stamp}",
                  f"DTSTART:{session.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
                  f"DTEND:{session.ends_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}",
                  f"SUMMARY:{_ics_text(activity.title)}（{session.number}）",
                  f"LOCATION:{_ics_text(activity.venue_text)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{activity.pk}.ics"'
    return response


@cadre_required
def notices_page(request):
    """A union's notices to groups: write one (recipients and cost shown first), the list with delivery figures."""
    import secrets

    from django.http import Http404

    from gonghui.orgs.selectors import access_node, scope_roots

    from . import notices
    from .models import BulletinKind, NoticeState, Segment

    node_pk = request.GET.get("node", "")
    if node_pk.isdigit():
        node = access_node(int(node_pk))  # 404 outside the cadre's scope
    else:  # from the menu: the top of the cadre's scope
        roots = scope_roots()
        if not roots:
            raise Http404
        node = roots[0]
    if not notices.can_write(request.user, node):
        raise PermissionDenied("messaging.notice.send")
    form = {"segment": request.POST.get("segment", Segment.MEMBERS), "activity": request.POST.get("activity", ""),
            "team": request.POST.get("team", ""),
            "title": request.POST.get("title", ""), "body": request.POST.get("body", ""),
            "essential": request.POST.get("essential") == "1",
            "submit_key": request.POST.get("submit_key") or secrets.token_urlsafe(24)}
    seen, error = None, ""
    bulletin = {"kind": request.POST.get("kind", BulletinKind.NEWS), "title": request.POST.get("bulletin_title", ""),
                "body": request.POST.get("bulletin_body", ""), "public": request.POST.get("public") == "1",
                "submit_key": request.POST.get("bulletin_key") or secrets.token_urlsafe(24)}
    bulletin_error = ""
    if request.method == "POST" and request.POST.get("action") == "publish":
        try:
            notices.publish_bulletin(actor=request.user, node=node, kind=bulletin["kind"], title=bulletin["title"],
                                     body=bulletin["body"], public=bulletin["public"],
                                     submit_key=bulletin["submit_key"])
            return redirect(f"{reverse('messaging:notices')}?node={node.pk}")
        except DomainError as exc:
            bulletin_error = exc.message
    elif request.method == "POST":
        segment = form["segment"] if form["segment"] in Segment.values else Segment.MEMBERS
        activity = int(form["activity"]) if form["activity"].isdigit() else None
        team = int(form["team"]) if form["team"].isdigit() else None
        try:
            if request.POST.get("action") == "send":
                notices.submit(actor=request.user, node=node, segment=segment, activity_id=activity,
                               title=form["title"], body=form["body"], essential=form["essential"],
                               submit_key=form["submit_key"], team_id=team)
                return redirect(f"{reverse('messaging:notices')}?node={node.pk}")
            seen = notices.preview(actor=request.user, node=node, segment=segment, activity_id=activity,
                                   essential=form["essential"], team_id=team)
        except DomainError as exc:
            error = exc.message
    notice_page, notice_query = paged(request, selectors.notice_list(node), 20, key="npage")
    figures = selectors.notice_figures(n.pk for n in notice_page)
    rows = [{"notice": n, "figures": {label: figures[n.pk][state] for state, label in State.choices if state in figures[n.pk]},
             "pending": n.state == NoticeState.PENDING_REVIEW}
            for n in notice_page]
    bulletins, bulletin_query = paged(request, selectors.bulletins_of(node), 20, key="bpage")
    return render(request, "messaging/notices.html", {
        "node": node, "form": form, "seen": seen, "error": error, "segments": Segment.choices, "rows": rows,
        "notice_page": notice_page, "notice_query": notice_query,
        "bulletin": bulletin, "bulletin_error": bulletin_error, "bulletin_kinds": BulletinKind.choices,
        "bulletins": bulletins, "bulletin_query": bulletin_query, "limits": _NOTICE_LIMITS})


# The form's inputs take the limits declared on the model's fields (the service refuses past them).
_NOTICE_LIMITS = {"title": limit_of(Notice, "title"), "body": limit_of(Notice, "body"),
                  "bulletin_title": limit_of(Bulletin, "title"), "bulletin_body": limit_of(Bulletin, "body")}


@cadre_required
@require_POST
def notice_approve(request, pk: int):
    from . import notices
    from .models import Notice

    notice = get_object_or_404(Notice, pk=pk)
    from gonghui.orgs.selectors import access_node

    access_node(notice.node_id)  # 404 outside the cadre's scope
    try:
        notices.approve(actor=request.user, notice=notice)
    except DomainError:
        pass  # own notice or already decided: the list shows its state
    return redirect(f"{reverse('messaging:notices')}?node={notice.node_id}")
