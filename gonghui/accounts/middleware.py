"""Per request: the worker signed in by phone, the API token, the origin and the cadre's scope."""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import timezone

from gonghui.core import prepared
from gonghui.core.context import RequestOrigin, client_ip, origin
from gonghui.core.scoping import tree_scope

from .models import ApiToken, Worker
from .permissions import requires_totp, subtree_for

WORKER_SESSION_KEY = "gonghui_worker_id"


def _worker_read():
    """The statement reading a worker by id and, per column, the converters the ORM's compiler
    applies (the encrypted phone, dates on SQLite), made once per database vendor: every signed-in
    request runs it, and compiling a queryset each time cost more than the query
    (docs/activities.md, "What a sign-up costs"). The row is read afresh on every request, so an
    anonymised worker or a changed number is seen at once."""
    if connection.vendor not in _WORKER_READ:
        qn = connection.ops.quote_name
        fields = Worker._meta.concrete_fields
        cols = [f.get_col(Worker._meta.db_table) for f in fields]
        _WORKER_READ[connection.vendor] = (
            f"SELECT {', '.join(qn(f.column) for f in fields)} FROM {qn(Worker._meta.db_table)} "  # noqa: S608  names from metadata
            f"WHERE {qn(Worker._meta.pk.column)} = %s",
            [(col, connection.ops.get_db_converters(col) + col.output_field.get_db_converters(connection))
             for col in cols])
    return _WORKER_READ[connection.vendor]


_WORKER_READ: dict = {}


def _worker_by_id(worker_id) -> Worker | None:
    try:
        worker_id = int(worker_id)
    except (TypeError, ValueError):
        return None
    sql, converters = _worker_read()
    with prepared.cursor() as cur:
        cur.execute(sql, [worker_id])
        row = cur.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, (col, funcs) in enumerate(converters):
        for convert in funcs:
            values[i] = convert(values[i], col, connection)
    return Worker.from_db(connection.alias, None, values)


def _get_worker(request):
    worker_id = request.session.get(WORKER_SESSION_KEY)
    if worker_id is None:
        return None
    worker = _worker_by_id(worker_id)
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
