"""Idempotency keys: a money-creating request sent twice does its work once.

API (``@idempotent("funds.payment.prepare")`` under the router's decorator): a client sends
``Idempotency-Key: <1–100 visible characters, e.g. a UUID>``. The first request with a key
stores it (per user, unique in the database) in the same transaction as the work it does, and its
answer once rendered. The same key again:

- with the same request (method, path, body byte for byte) → the first answer again, status and
  body, with ``Idempotent-Replayed: true``; nothing is done a second time;
- with a different request → 422 ``idempotency_key_reused``; nothing is done;
- while the first is still running → 409 ``idempotency_in_progress`` (on PostgreSQL the second
  insert waits for the first transaction, so this is the short moment before its answer is kept).

A request that fails (refused, invalid) keeps no key: correcting it and sending it again with the
same key works. Requests without the header are served as before.

Console (``submit_once``): the form carries a one-time token in a hidden field (``FORM_FIELD``);
a double click or a resubmitted page finds the token used and is sent to what the first
submission made, without making it again.

Used by aid and funds (funds sits above aid in the layers, so it may import this module).
"""

import functools
import hashlib
import re
import secrets

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from gonghui.core.errors import DomainError

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "form_token"
_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")
_HEADER_DOC = {
    "name": HEADER, "in": "header", "required": False,
    "description": "Send the same key again to get the first answer instead of doing the work twice "
                   "(1–100 visible characters, e.g. a UUID; per user).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": r"^[\x21-\x7e]{1,100}$"},
}


def _fingerprint(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _refusal(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "detail": message, "field": None}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _replay(request, key: str, fingerprint: str) -> HttpResponse:
    record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if record is not None and record.fingerprint != fingerprint:
        return _refusal("idempotency_key_reused", _(
            "This Idempotency-Key was already used for a different request; send a new key for a new request."), 422)
    if record is None or record.status_code is None:
        return _refusal("idempotency_in_progress", _(
            "A request with this Idempotency-Key is still being processed; try again in a moment."), 409)
    response = HttpResponse(record.answer, status=record.status_code, content_type="application/json; charset=utf-8")
    response["Idempotent-Replayed"] = "true"
    return response


def _keep_answer(run):
    """Around ninja's whole operation: once the answer is rendered, keep it with the key."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        pk = getattr(request, "_idempotency_record", None)
        if pk is not None and 200 <= response.status_code < 300:
            IdempotencyKey.objects.filter(pk=pk).update(status_code=response.status_code,
                                                        answer=response.content.decode())
        return response

    return wrapper


def _document(operation) -> None:
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), _HEADER_DOC]
    operation.openapi_extra = extra


def idempotent(operation: str):
    """Decorate a JSON API operation that creates money (put it under ``@router.post``)."""

    def decorate(view):
        @functools.wraps(view)
        def inner(request, *args, **kwargs):
            key = request.headers.get(HEADER)
            if key is None:
                return view(request, *args, **kwargs)
            if not _KEY.match(key):
                return _refusal("idempotency_key_invalid", _(
                    "The Idempotency-Key header is 1 to 100 visible characters, e.g. a UUID."), 400)
            fingerprint = _fingerprint(request.method.encode(), request.path.encode(), request.body)
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(user=request.user, key=key, operation=operation,
                                                               fingerprint=fingerprint)
                except IntegrityError:
                    return _replay(request, key, fingerprint)
                result = view(request, *args, **kwargs)
                request._idempotency_record = record.pk
                return result

        contribute_operation_callback(inner, _document)
        return decorate_view(_keep_answer)(inner)

    return decorate


# --- console forms ---------------------------------------------------------------------------------

def form_token(request=None) -> str:
    """The one-time token of a form being shown: the one it was posted with (a form shown again
    with its errors keeps it), or a new one."""
    posted = request.POST.get(FORM_FIELD, "") if request is not None and request.method == "POST" else ""
    return posted if _KEY.match(posted) else secrets.token_urlsafe(24)


def submit_once(request, *, operation: str, do) -> tuple[str, bool]:
    """Run ``do()`` (it returns the address of what it made) once per form token.

    Returns (address, replayed): replayed is True when this token was used before with the same
    data — the caller redirects to the first result and says so. The same token with other data is
    refused (the page was kept and edited after it was submitted). A post without the token field
    (not from our page) runs ``do()`` unguarded."""
    token = request.POST.get(FORM_FIELD)
    if token is None:  # not posted from our page (a script): served as before, without the guard
        return do(), False
    if not _KEY.match(token):
        raise DomainError("form_token", _("This form is out of date; reload the page and submit it again."))
    data = sorted((k, v) for k, values in request.POST.lists() for v in values
                  if k not in (FORM_FIELD, "csrfmiddlewaretoken"))
    fingerprint = _fingerprint(operation.encode(), repr(data).encode())
    key = f"form:{token}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=request.user, key=key, operation=operation,
                                                       fingerprint=fingerprint)
        except IntegrityError:
            record = IdempotencyKey.objects.filter(user=request.user, key=key).first()
            if record is None or record.fingerprint != fingerprint or not record.answer:
                raise DomainError("form_token_used", _(
                    "This form was already submitted; reload the page to enter a new one.")) from None
            return record.answer, True
        address = do()
        record.status_code, record.answer = 302, address
        record.save(update_fields=["status_code", "answer"])
    return address, False
