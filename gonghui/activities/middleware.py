"""A rush's refusals answered before the rest of the request is worked out (docs/activities.md,
"The flash sale"). Three requests in four of a course opening are for a course already full; each
went through authentication, the worker's row from PostgreSQL, the scope, URL resolution and the
API's parsing only to hear what Redis already knew. This middleware, placed after the session, the
language and the CSRF cookie, answers a worker's sign-up for a course Redis holds as full, closed
or not yet open, with the same status and body as the API, and lets every other request through:

- only ``POST /api/v1/w/courses/<id>/sign-up`` with a worker's session, a CSRF token the API would
  accept, a body the API would accept and a key signed for this worker and course;
- only refusals: a replay (the worker's own booking) and anything the database decides go through
  the API, which reads the worker's row first;
- Redis is asked once per request: what it said (a replay's body, an admission token) is handed to
  the API's view, and a token the view never took over is given back after the response.

A refusal tells nothing that the public course page does not (seats left, the opening time); the
key proves the session's worker asked for it on this course's page. Without REDIS_URL nothing here
answers.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from ninja.utils import check_csrf
from pydantic import ValidationError

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.core.errors import DomainError

from . import flash
from .services import signup

SIGN_UP = re.compile(r"/api/v1/w/courses/(\d+)/sign-up")


class FlashRefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and (match := SIGN_UP.fullmatch(request.path_info)):
            activity_id = int(match[1])
            answer = _refusal(request, activity_id)
            if answer is not None:
                return answer
            try:
                return self.get_response(request)
            finally:
                flash.handed_back(request, activity_id)
        return self.get_response(request)


def _refusal(request, activity_id: int):
    """Redis's refusal of this sign-up, or None: the API decides, with what Redis said handed over
    (``flash.hand_over``: an admission token taken here is the API's to keep or give back)."""
    from .worker_api import SignUpIn, refusal_response

    if not settings.REDIS_URL:  # the embedded default: the API answers everything
        return None
    worker_id = request.session.get(WORKER_SESSION_KEY)
    if not isinstance(worker_id, int) or check_csrf(request) is not None:
        return None
    try:
        payload = SignUpIn.model_validate_json(request.body)  # the API's own schema of the body
    except (ValidationError, RequestDataTooBig):  # the API answers these in its own words
        return None
    try:
        nonce = signup.check_signup_key(key=payload.key, activity_id=activity_id, worker_id=worker_id)
    except DomainError:
        return None
    seen = flash.look(activity_id, nonce, timezone.now())
    if seen.answer == "refuse":
        return refusal_response(seen)
    flash.hand_over(request, activity_id, nonce, seen)
    return None
