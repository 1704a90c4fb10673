"""The /api/v1 router: each app defines its endpoints in its own api.py; this file mounts them."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, include, path
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.openapi.docs import Swagger

from gonghui.core.errors import DomainError
from gonghui.core.ratelimit import RateLimited

from .auth import API_AUTH
from .errors import keep_inputs, schema_errors


class GonghuiAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts):
        error = super().validation_error_from_error_contexts(error_contexts)
        raw = [e for context in error_contexts
               for e in context.pydantic_validation_error.errors(include_url=False)]
        keep_inputs(raw, error.errors)
        return error

    def _get_urls(self):
        # The workers' routes first: most requests of a rush are theirs (the groups are disjoint, so
        # their order changes what is tried first, never what matches).
        return grouped(super()._get_urls(), first=("w",))


def grouped(patterns: list, first: tuple[str, ...] = ()) -> list:
    """ninja's routes as a tree by their first path segment instead of one flat list: Django
    tries a list's patterns one by one, so a request for the 215th route (the workers' sign-up)
    ran some 220 regular expressions before its view, a quarter of a refused sign-up's CPU
    (docs/activities.md, "What a sign-up costs"). Grouped, a request tries the groups' prefixes,
    then its group's routes. Order within a group is kept; names, reversing and the matched route
    (``resolver_match.route``) are unchanged. A route whose first segment is not a plain word
    stays where it is. A group named in ``first`` goes before the rest when what it passes are
    other groups and plain words without a slash, none of which can match its paths."""
    tree: list = []
    groups: dict[str, list] = {}
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        if not (isinstance(pattern, URLPattern) and slash and rest and re.fullmatch(r"[\w.-]+", head)):
            tree.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            tree.append(head)
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    for head in reversed(first):
        if head not in groups:
            continue
        at = tree.index(head)
        if all(isinstance(item, str) or re.fullmatch(r"[\w.-]*", str(item.pattern)) for item in tree[:at]):
            tree.insert(0, tree.pop(at))
    return [path(f"{item}/", include(grouped(groups[item]))) if isinstance(item, str) else item for item in tree]


# The docs page loads Swagger UI from ninja's own static files ("ninja" is in INSTALLED_APPS, so
# no CDN); the online validator badge is switched off, as it would send the schema's address to
# validator.swagger.io. Nothing on the page needs the internet.
api = GonghuiAPI(title="gonghui API", version="1", auth=API_AUTH, urls_namespace="api",
                 docs=Swagger(settings={"validatorUrl": None}),
                 description="Same scoping as the console: a token sees only its user's subtrees.")


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    # 409 for a stale edit (core.editing.StaleEdit): the record changed since the client read it;
    # 422 for a text longer than its field (core.limits.TooLong), by field like a schema's errors.
    status = getattr(exc, "status", 400)
    body = {"code": exc.code, "detail": str(exc.message), "field": exc.field}
    if status == 422 and exc.field:
        body["errors"] = {exc.field: [str(exc.message)]}
    return api.create_response(request, body, status=status)


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    # 429 too many attempts, 503 when the shared counter is unreachable; both say when to retry.
    response = api.create_response(request, {"code": exc.code, "detail": str(exc.message), "field": exc.field},
                                   status=exc.status)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return api.create_response(request, {"code": "invalid", "detail": _("Please correct the errors."),
                                         "errors": errors}, status=422)


@api.exception_handler(SchemaError)
def schema_error(request, exc: SchemaError):
    """Pydantic's English messages re-worded in the user's language, by field, like the one above."""
    return api.create_response(request, {"code": "invalid", "detail": _("Please correct the errors."),
                                         "errors": schema_errors(exc.errors)}, status=422)


@api.exception_handler(MultiPartParserError)
def bad_multipart(request, exc):
    """An upload whose multipart body cannot be read (no boundary, a malformed one): a 400 saying
    so, not a 500 — one of the upload endpoints is public."""
    return api.create_response(request, {
        "code": "bad_multipart",
        "detail": _("The upload could not be read: send the file as multipart/form-data with a boundary."),
    }, status=400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {
        "code": "unauthenticated",
        "detail": _("Sign in, or send an API token in the header Authorization: Bearer <key>."),
    }, status=401)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body = {"code": "bad_json", "detail": _("Enter a valid JSON.")}
    elif exc.status_code == 403:
        body = {"code": "forbidden", "detail": _("You may not do this here.")}
    else:
        body = {"code": "error", "detail": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"code": "forbidden", "detail": _("You may not do this here.")},
                               status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"code": "not_found", "detail": _("Not found.")}, status=404)


def _mount() -> None:
    from importlib import import_module

    for app in ("accounts", "orgs", "members", "positions", "activities", "rights", "aid", "registration", "funds", "modelworkers", "contests", "counselling", "stats", "console"):
        api.add_router("/", import_module(f"gonghui.{app}.api").router)
    # The workers' own endpoints (/api/v1/w/…): signed in by phone on the worker pages.
    for app in ("activities", "counselling",):
        api.add_router("/w/", import_module(f"gonghui.{app}.worker_api").router)


_mount()
