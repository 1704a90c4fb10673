"""Per request: the worker signed in by phone, the API token, the origin and the cadre's scope."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from gonghui.core.context import RequestOrigin, client_ip, origin
from gonghui.core.scoping import tree_scope

from .models import ApiToken, Worker
from .permissions import subtree_for

WORKER_SESSION_KEY = "gonghui_worker_id"


def _get_worker(request):
    worker_id = request.session.get(WORKER_SESSION_KEY)
    if worker_id is None:
        return None
    return Worker.objects.filter(pk=worker_id).first()


class WorkerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.worker = SimpleLazyObject(lambda: _get_worker(request))
        return self.get_response(request)


def _token_user(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Bearer "):
        return None
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=ApiToken.hash_key(header[7:].strip()), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class ScopeMiddleware:
    """Opens the query scope of the signed-in cadre for the whole request.

    API requests may carry ``Authorization: Bearer <token>`` instead of a session; the token's
    user then becomes ``request.user`` (and CSRF does not apply, as no cookie authenticates).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            user = _token_user(request)
            if user is not None:
                request.user = user
                request.api_token_auth = True
                request._dont_enforce_csrf_checks = True
        channel = "api" if request.path.startswith("/api/") else (
            "worker" if request.path.startswith("/w/") else "console")
        token = origin.set(RequestOrigin(ip=client_ip(request.META),
                                         user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                                         channel=channel))
        try:
            if request.user.is_authenticated:
                with tree_scope(subtree_for(request.user)):
                    return self.get_response(request)
            return self.get_response(request)
        finally:
            origin.reset(token)
