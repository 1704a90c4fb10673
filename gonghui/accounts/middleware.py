"""Per request: the worker signed in by phone, the API token, the origin and the cadre's scope."""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gonghui.core.context import RequestOrigin, client_ip, origin
from gonghui.core.scoping import tree_scope

from .models import ApiToken, Worker
from .permissions import requires_totp, subtree_for

WORKER_SESSION_KEY = "gonghui_worker_id"


def _get_worker(request):
    worker_id = request.session.get(WORKER_SESSION_KEY)
    if worker_id is None:
        return None
    worker = Worker.objects.filter(pk=worker_id).first()
    if worker is None:
        request.session.pop(WORKER_SESSION_KEY, None)
    return worker


class WorkerMiddleware:
    """Sets ``request.worker`` to the signed-in Worker or None.

    Resolved eagerly rather than as a lazy object: a lazy wrapper around None is not None, and
    ``request.worker is None`` checks would let every visitor through.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.worker = _get_worker(request)
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


def _awaits_second_factor(user) -> bool:
    return bool(user.is_authenticated and requires_totp(user) and not user.is_verified())


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
            elif _awaits_second_factor(request.user):
                # A console session that has passed the password but not the required TOTP step
                # must not reach data through the API either (console views check it in
                # cadre_required).
                request.user = AnonymousUser()
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
