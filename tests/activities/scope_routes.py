"""Scope-proof registration of the activities URLs (console, worker pages, API)."""

import datetime

from django.utils import timezone

from tests.scope_kit import CADRE_ANY, NODE_SCOPED, PUBLIC, WORKER, Route, _node, _seq, scoped


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
    "api:list_activities": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:get_activity": scoped(_activity, param="activity_id"),
    "api:create_activity": scoped(_node, param="", pk_field="node_id", data=_api_payload),
    "api:publish_activity": scoped(_draft, param="activity_id", data=lambda t, n: {}),
    "api:close_activity": scoped(_activity, param="activity_id", data=lambda t, n: {}),
    "api:list_activity_bookings": scoped(_activity, param="activity_id"),
}

SIBLING_SEEDS = [_activity, _term]
