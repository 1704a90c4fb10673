"""Scope proof of counselling: cadres' pages and counts by subtree; a session's note answers 404 to
every account but its counsellor's (even inside the subtree); the workers' endpoints are the phone's."""

from tests.scope_kit import CADRE_ANY, NODE_SCOPED, WORKER, Route, _node, scoped


def _session(tree, node) -> int:
    import datetime
    import zoneinfo

    from django.utils import timezone

    from gonghui.counselling import services
    from tests.counselling.kit import counsellor, worker

    c = counsellor(tree, node)
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() != 0:
        day += datetime.timedelta(days=1)
    starts = datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    return services.book_session(worker=worker(), counsellor=c, starts_at=starts, topic="保密").pk


def _call(tree, node) -> int:
    import datetime

    from django.utils import timezone

    from gonghui.counselling import services
    from tests.counselling.kit import counsellor

    c = counsellor(tree, node)
    return services.record_call(actor=c.user, counsellor=c, called_at=timezone.now() - datetime.timedelta(hours=1),
                                minutes=20, category="work", note="保密").pk


def _counsellor(tree, node) -> int:
    from tests.counselling.kit import counsellor

    return counsellor(tree, node).pk


def _call_payload(tree, node) -> dict:
    import datetime

    from django.utils import timezone

    return {"called_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(), "minutes": 15,
            "category": "work", "note": "保密"}


ROUTES = {
    "counselling:calls": Route(CADRE_ANY),  # the counsellor's own calls; 404 for any other account
    "counselling:call": scoped(_call, refused_inside=True),
    "counselling:supervise": Route(NODE_SCOPED, target=_node, param="?node"),
    "counselling:home": Route(NODE_SCOPED, target=_node, param="?node"),
    "counselling:mine": Route(CADRE_ANY),
    "counselling:note": scoped(_session, refused_inside=True),
    # the counsellor's own calls: every other account (the admins over the room included) gets 404
    "api:hotline_calls": Route(CADRE_ANY),
    "api:hotline_call": scoped(_call, param="call_id", refused_inside=True),
    "api:record_hotline_call": scoped(_counsellor, param="", pk_field="counsellor", data=_call_payload,
                                      refused_inside=True),
    "api:counselling_counts": Route(NODE_SCOPED, target=_node, param="?node"),
    "w_counselling:home": WORKER,
    "w_counselling:cancel": WORKER,
    "w_counselling:move": WORKER,
    "api:worker_counsellors": WORKER,
    "api:worker_counsellor_taken": WORKER,
    "api:worker_book_counselling": WORKER,
    "api:worker_counselling_sessions": WORKER,
    "api:worker_cancel_counselling": WORKER,
    "api:worker_move_counselling": WORKER,
}
