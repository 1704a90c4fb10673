"""Error pages (Django's ``handler400/403/404/500`` and ``CSRF_FAILURE_VIEW``) in the site's language.

403 and 404 are drawn in the layout of the part of the site they answer: the workers' mobile
layout under ``/w/``, the console's elsewhere. 500 and 503 are standalone pages rendered without a
request, so without context processors: they must show while the database is down. Under ``/api/``
every error answers the API's JSON body instead.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.template.exceptions import TemplateDoesNotExist

try:  # the Redis client is there only when REDIS_URL is used
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    _CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover - redis is a dependency, but the page must not depend on it
    _CACHE_ERRORS = ()

OUTAGE_ERRORS = (OperationalError, InterfaceError, *_CACHE_ERRORS)


def is_outage(exception: BaseException | None) -> bool:
    """The database or the cache could not be reached (or gave up: a cancelled statement)."""
    return isinstance(exception, OUTAGE_ERRORS)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _face(request) -> str:
    return "worker" if request.path.startswith("/w/") else "console"


def _page(request, status: int, exception=None) -> HttpResponse:
    template = loader.select_template([f"{_face(request)}/{status}.html", f"{status}.html"])
    body = template.render({"request_path": request.path, "status": status}, request)
    return HttpResponse(body, status=status)


def _standalone(request, status: int) -> HttpResponse:
    """No request in the context: nothing here may touch the database."""
    body = loader.get_template(f"{status}.html").render({
        "face": _face(request), "request_id": getattr(request, "request_id", ""),
        "retry_after": settings.GONGHUI_RETRY_AFTER_SECONDS,
    })
    return HttpResponse(body, status=status)


def _api(request, status: int) -> HttpResponse:
    from .middleware import api_error_for

    return api_error_for(request, status)


def bad_request(request, exception=None):
    return _api(request, 400) if _is_api(request) else _page(request, 400)


def permission_denied(request, exception=None):
    return _api(request, 403) if _is_api(request) else _page(request, 403)


def page_not_found(request, exception=None):
    return _api(request, 404) if _is_api(request) else _page(request, 404)


def unavailable(request) -> HttpResponse:
    response = _api(request, 503) if _is_api(request) else _standalone(request, 503)
    response["Retry-After"] = str(settings.GONGHUI_RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """Called by Django while the failing exception is being handled: an outage becomes 503."""
    if is_outage(sys.exc_info()[1]):
        return unavailable(request)
    return _api(request, 500) if _is_api(request) else _standalone(request, 500)


def csrf_failure(request, reason: str = ""):
    if _is_api(request):
        return _api(request, 403)
    try:
        template = loader.get_template(f"{_face(request)}/403_csrf.html")
    except TemplateDoesNotExist:  # pragma: no cover - both faces have one
        template = loader.get_template("403_csrf.html")
    return HttpResponse(template.render({"reason": reason}, request), status=403)
