"""Scope-proof registration of the workers' API (/api/v1/w/…): a worker acts only as themself
(their own bookings: tests/activities/test_worker_api.py); browsing is public. Also the worker
pages of "我的", joining without a poster and volunteering (tests/worker/test_hub.py,
test_join_without_poster.py, test_serve_first.py): each reads only the signed-in worker's own
records."""

from tests.scope_kit import PUBLIC, WORKER

ROUTES = {
    "api:worker_list_courses": PUBLIC,
    "api:worker_get_course": PUBLIC,   # published activities only; drafts are 404
    "api:worker_sign_up": WORKER,
    "api:worker_join_waitlist": WORKER,
    "api:worker_bookings": WORKER,
    "api:worker_cancel_booking": WORKER,
    "api:worker_confirm_offer": WORKER,
    # joining without a poster: the search and a union's form are public (applying needs a sign-in);
    # unions that take no online applications answer 404
    "worker:join_find": PUBLIC,
    "worker:join_union": PUBLIC,
    "worker:join_offer": WORKER,     # the worker's own consent to be invited, by a signed offer
    "worker:volunteers": WORKER,     # the worker's own teams, hours and commendations
    "worker:volunteer_join": WORKER,  # teams of the worker's own union line only; others 404
    "worker:my_loans": WORKER,       # the worker's own loans
}
