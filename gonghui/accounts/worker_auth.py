"""API authentication of workers: the phone-verified worker of the worker pages, for the workers'
endpoints (/api/v1/w/…) that the domain apps define."""

from django.conf import settings
from ninja.security import APIKeyCookie


class WorkerSession(APIKeyCookie):
    """A worker signed in by phone code on the worker pages (``request.worker``, set by
    WorkerMiddleware), with Django's CSRF check on unsafe methods. A cadre's session is not a
    worker's: it gets 401 here, as a worker session gets 401 on the cadres' endpoints."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        return getattr(request, "worker", None)


worker_session = WorkerSession(csrf=True)
