"""Scope-proof registration of the activities URLs (console, worker pages, API)."""

import datetime

from django.utils import timezone

from tests.scope_kit import (
    CADRE_ANY,
    NODE_SCOPED,
    PUBLIC,
    WORKER,
    Route,
    _member,
    _member_pk,
    _node,
    _seq,
    scoped,
)

_last: dict = {}  # the volunteer made by the latest target, for payloads that name it


def _activity(tree, node, **kw):
    from .conftest import make_activity

    return make_activity(tree, node, title=f"{node.name[:3]}舞蹈班{next(_seq)}", **kw).pk


def _draft(tree, node):
    return _activity(tree, node, publish=False)


def _session(tree, node):
    from gonghui.activities.models import Session

    return Session.objects.get(activity_id=_activity(tree, node)).pk


def _term(tree, node):
    from gonghui.activities.services import catalogue

    return catalogue.create_term(node=node, actor=tree.user("a_admin"), name=f"{node.name[:3]}{next(_seq)}期").pk


def _waiting(tree, node):
    from gonghui.activities.models import Activity

    from .conftest import book, make_worker, wait

    activity = Activity.objects.get(pk=_activity(tree, node, capacity=1))
    book(activity, make_worker())
    return wait(activity, make_worker()).pk


def _session_with_booking(tree, node):
    from gonghui.activities.models import Activity, Session
    from gonghui.activities.services import signup

    from .conftest import book, make_worker

    activity = Activity.objects.get(pk=_activity(tree, node))
    _last["ticket"] = signup.issue_ticket_token(booking=book(activity, make_worker()))
    return Session.objects.get(activity=activity).pk


def _form(tree, node):
    start = timezone.localtime() + datetime.timedelta(days=10)
    fmt = "%Y-%m-%dT%H:%M"
    return {"title": f"声乐班{next(_seq)}", "kind": "course", "term": "", "audience": "members",
            "venue_text": "青山县职工文化宫", "starts_at": start.strftime(fmt),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime(fmt), "sessions": 4, "capacity": 30,
            "signup_opens_at": (start - datetime.timedelta(days=3)).strftime(fmt),
            "signup_closes_at": (start - datetime.timedelta(days=1)).strftime(fmt), "waitlist_mode": "offer",
            "offer_hours": 24, "description": ""}


def _api_payload(tree, node):
    start = timezone.now() + datetime.timedelta(days=10)
    return {"node_id": node.pk, "title": f"摄影班{next(_seq)}", "venue": "青山县职工文化宫", "capacity": 20,
            "starts_at": start.isoformat(), "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "signup_opens_at": (start - datetime.timedelta(days=3)).isoformat(),
            "signup_closes_at": (start - datetime.timedelta(days=1)).isoformat(), "sessions": 6}


def _team(tree, node):
    from gonghui.activities.services import volunteers

    _last["member"] = _member_pk(tree, node)  # a roster member a payload may add to the team
    return volunteers.create_team(node=node, actor=tree.user("a_admin"), name=f"{node.name[:3]}志愿服务队{next(_seq)}").pk


def _volunteer(tree, node):
    from gonghui.activities.models import VolunteerTeam
    from gonghui.activities.services import volunteers

    team = VolunteerTeam.objects.get(pk=_team(tree, node))
    volunteer = volunteers.add_volunteer(team=team, actor=tree.user("a_admin"), member=_member(tree, node),
                                         joined_on=datetime.date(2025, 1, 6))
    _last["volunteer"] = volunteer.pk
    return volunteer.pk


def _team_with_volunteer(tree, node):
    from gonghui.activities.models import Volunteer

    return Volunteer.objects.get(pk=_volunteer(tree, node)).team_id


def _service(tree, node):
    from gonghui.activities.models import Volunteer
    from gonghui.activities.services import volunteers

    volunteer = Volunteer.objects.select_related("team__node", "member").get(pk=_volunteer(tree, node))
    return volunteers.record_service(team=volunteer.team, actor=tree.user("a_admin"), title="敬老院义务理发",
                                     on=datetime.date(2025, 3, 5), hours={volunteer: "2.5"}).pk


def _team_with_service(tree, node):
    from gonghui.activities.models import TeamService

    return TeamService.objects.get(pk=_service(tree, node)).team_id


def _commendation(tree, node):
    from gonghui.activities.services import volunteers

    return volunteers.create_commendation(node=node, actor=tree.user("a_admin"), year=2025,
                                          title=f"{node.name[:3]}志愿服务表彰{next(_seq)}", basis="县总工会〔2025〕12号").pk


def _entry(tree, node):
    from gonghui.activities.models import Commendation
    from gonghui.activities.services import volunteers

    commendation = Commendation.objects.select_related("node").get(pk=_commendation(tree, node))
    return volunteers.add_entry(commendation=commendation, actor=tree.user("a_admin"), kind="unit", unit=node).pk


def _service_form(tree, node):
    return {"activity": "", "title": "社区义诊", "on": "2025-06-01", "place": "", f"h{_last['volunteer']}": "3"}


def _service_json(tree, node):
    return {"title": "社区义诊", "on": "2025-06-01", "hours": [{"volunteer_id": _last["volunteer"], "hours": "3"}]}


ROUTES = {
    "activities:list": Route(NODE_SCOPED, target=_node, param="?node"),
    "activities:create": scoped(_node, param="?node", data=_form),
    "activities:detail": scoped(_activity),
    "activities:edit": scoped(_activity, data=_form),
    "activities:publish": scoped(_draft, data=lambda t, n: {}, get=False),
    "activities:close": scoped(_activity, data=lambda t, n: {}, get=False),
    "activities:cancel": scoped(_activity, data=lambda t, n: {"reason": "场地检修"}, get=False),
    "activities:waitlist_move": scoped(_waiting, data=lambda t, n: {"position": 1, "reason": "残疾职工优先"}, get=False),
    "activities:export": scoped(_activity),
    "activities:checkin": scoped(_session, data=lambda t, n: {"ticket": "not-a-ticket"}),
    "activities:terms": Route(CADRE_ANY),
    "activities:term_create": scoped(_node, param="?node", data=lambda t, n: {"name": f"2027年{next(_seq)}期",
                                                                              "per_person_limit": 2}),
    "activities:term_copy": scoped(_term, data=lambda t, n: {"name": f"2027年{next(_seq)}期", "shift_days": 182}),
    "worker:courses": PUBLIC,
    "worker:course": PUBLIC,  # published activities only; drafts are 404
    "worker:course_signup": WORKER,
    "worker:course_wait": WORKER,
    "worker:my_courses": WORKER,
    "worker:booking_cancel": WORKER,  # the worker's own bookings only (tests/activities/test_worker_pages.py)
    "worker:booking_confirm": WORKER,
    "worker:booking_rate": WORKER,  # the worker's own bookings only (tests/activities/test_ratings.py)
    "worker:course_certificate": WORKER,  # own bookings only (tests/activities/test_completion.py)
    "worker:course_certificate_check": PUBLIC,  # a signed QR token; says valid or not issued
    "api:list_activities": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:get_activity": scoped(_activity, param="activity_id"),
    "api:create_activity": scoped(_node, param="", pk_field="node_id", data=_api_payload),
    "api:publish_activity": scoped(_draft, param="activity_id", data=lambda t, n: {}),
    "api:close_activity": scoped(_activity, param="activity_id", data=lambda t, n: {}),
    "api:list_activity_bookings": scoped(_activity, param="activity_id"),
    "api:list_activity_ratings": scoped(_activity, param="activity_id"),
}

ROUTES.update({
    "activities:waitlist_remove": scoped(_waiting, data=lambda t, n: {"reason": "本人电话告知不再参加"}, get=False),
    "api:move_waiting_booking": scoped(_waiting, param="booking_id", data=lambda t, n: {"position": 1,
                                                                                       "reason": "残疾职工优先"}),
    "api:remove_waiting_booking": scoped(_waiting, param="booking_id", data=lambda t, n: {"reason": "本人电话告知"}),
    "api:list_activity_sessions": scoped(_activity, param="activity_id"),
    "api:check_in_session": scoped(_session_with_booking, param="session_id",
                                   data=lambda t, n: {"ticket": _last["ticket"]}),
    "activities:teams": Route(NODE_SCOPED, target=_node, param="?node"),
    "activities:team_create": scoped(_node, param="?node", data=lambda t, n: {"name": f"志愿服务队{next(_seq)}",
                                                                              "description": "", "founded_on": ""}),
    "activities:team": scoped(_team),
    "activities:volunteer_add": scoped(_team, data=lambda t, n: {"q": "", "member": _last["member"],
                                                                 "honour": "model_worker", "joined_on": "2025-01-06"},
                                       get=False),
    "activities:service_record": scoped(_team_with_volunteer, data=_service_form, get=False),
    "activities:volunteer_leave": scoped(_volunteer, data=lambda t, n: {}, get=False),
    "activities:volunteer_leader": scoped(_volunteer, data=lambda t, n: {}, get=False),
    "activities:service": scoped(_service),
    "activities:commendations": Route(NODE_SCOPED, target=_node, param="?node"),
    "activities:commendation_create": scoped(_node, param="?node", data=lambda t, n: {
        "year": 2025, "title": f"优秀志愿者{next(_seq)}", "basis": "县总工会〔2025〕12号"}),
    "activities:commendation": scoped(_commendation),
    "activities:entry_add": scoped(_commendation, data=lambda t, n: {"kind": "unit", "subject": n.pk}, get=False),
    "activities:entry_remove": scoped(_entry, data=lambda t, n: {}, get=False),
    "api:list_volunteer_teams": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:get_volunteer_team": scoped(_team, param="team_id"),
    "api:list_team_services": scoped(_team_with_service, param="team_id"),
    "api:create_volunteer_team": scoped(_node, param="", pk_field="node_id",
                                        data=lambda t, n: {"name": f"志愿服务队{next(_seq)}"}),
    "api:add_team_volunteer": scoped(_team, param="team_id", data=lambda t, n: {"member_id": _last["member"]}),
    "api:record_team_service": scoped(_team_with_volunteer, param="team_id", data=_service_json),
    "api:volunteer_totals": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:list_commendations": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:get_commendation": scoped(_commendation, param="commendation_id"),
    "api:create_commendation": scoped(_node, param="", pk_field="node_id", data=lambda t, n: {
        "year": 2025, "title": f"优秀志愿者{next(_seq)}", "basis": "县总工会〔2025〕12号"}),
    "api:add_commendation_entry": scoped(_commendation, param="commendation_id",
                                         data=lambda t, n: {"kind": "unit", "subject_id": n.pk}),
})

SIBLING_SEEDS = [_activity, _term, _team, _commendation]
