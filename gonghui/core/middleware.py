"""Requests under faults: a request id on every log line, and a clear 503 when a backing service is down.

``RequestIdMiddleware`` takes a sane ``X-Request-ID`` from the proxy (nginx ``$request_id``) or makes
one, answers it in the response header and puts it on every log record of the request through
``RequestIdFilter`` (``JsonFormatter`` writes the records as JSON lines for the service manager).

``OutageMiddleware`` turns an unreachable database or cache into 503 with ``Retry-After``: the page
in the user's language for people, ``{"code": "unavailable", ...}`` for the JSON API, and a log
line with the request id for the operator. Failures outside views (sessions, the signed-in user)
reach the same answer through ``gonghui.core.errorpages.server_error``. It also keeps the API's
promise to answer JSON: any error answer under ``/api/`` that is not JSON (Django's 404, ninja's
405) is replaced by the API's error body.
"""

import contextvars
import json
import logging
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import JsonResponse
from django.utils.translation import gettext as _

from . import errorpages

log = logging.getLogger("gonghui.request")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("gonghui_request_id", default="-")
# What a proxy may hand us: a uuid, nginx's 32 hex digits, or a similar token; anything else
# (too long, spaces, control characters that could forge log lines) is replaced.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed (request_finished below), so that Django's own line
        # for an error answer ("Service Unavailable: /path"), written after the middleware, has it.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_request_id(sender, **kwargs):
    _request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", _request_id.get()),
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"], entry["path"] = request.method, request.path
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def api_error(request, status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def is_api(request) -> bool:
    return request.path.startswith("/api/")


_API_ERRORS = {
    400: ("bad_request", lambda: _("The request could not be understood.")),
    401: ("unauthenticated", lambda: _("Sign in, or send an API token in the header Authorization: Bearer <key>.")),
    403: ("forbidden", lambda: _("You may not do this here.")),
    404: ("not_found", lambda: _("Not found.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    500: ("server_error", lambda: _("Something went wrong on our side. It has been logged; please try again later.")),
    503: ("unavailable", lambda: _("The service is briefly unavailable. Please try again in a minute.")),
}


def api_error_for(request, status: int) -> JsonResponse:
    code, detail = _API_ERRORS.get(status, ("error", lambda: _("The request could not be carried out.")))
    response = api_error(request, status, code, detail())
    if status == 503:
        response["Retry-After"] = str(settings.GONGHUI_RETRY_AFTER_SECONDS)
    return response


class OutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and \
                not response.get("Content-Type", "").startswith("application/json"):
            replaced = api_error_for(request, response.status_code)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response

    def process_exception(self, request, exception):
        if not errorpages.is_outage(exception):
            return None
        log.error("Service unavailable (%s): %s %s", type(exception).__name__, request.method, request.path,
                  exc_info=(type(exception), exception, exception.__traceback__))
        return errorpages.unavailable(request)
