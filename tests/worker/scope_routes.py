"""Scope-proof registration of the workers' API (/api/v1/w/…): a worker acts only as themself
(their own bookings: tests/activities/test_worker_api.py); browsing is public."""

from tests.scope_kit import PUBLIC, WORKER

ROUTES = {
    "api:worker_list_courses": PUBLIC,
    "api:worker_get_course": PUBLIC,   # published activities only; drafts are 404
    "api:worker_sign_up": WORKER,
    "api:worker_join_waitlist": WORKER,
    "api:worker_bookings": WORKER,
    "api:worker_cancel_booking": WORKER,
    "api:worker_confirm_offer": WORKER,
}
