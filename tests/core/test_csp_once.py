"""The CSP headers with the plain policy built once per process (gonghui.core.csp): every response
gets exactly the headers django-csp's own middleware writes — a JSON answer, a page whose inline
script uses the request's nonce, a response with a policy of its own — and a change of the CSP
settings is seen at once."""

from unittest import mock

import pytest
from csp.constants import HEADER
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware as DjangoCSP
from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory, override_settings

from gonghui.core import csp

pytestmark = pytest.mark.django_db


def _both(view, path="/api/v1/anything"):
    """The headers of the same response through ours and through django-csp's."""
    out = []
    for middleware in (csp.CSPMiddleware, DjangoCSP):
        request = RequestFactory().get(path)
        handler = middleware(view)
        response = handler(request)
        out.append({k: v for k, v in response.items() if "Content-Security-Policy" in k})
    return out


def test_a_plain_answer_has_django_csps_headers_built_once():
    csp.plain_policies.cache_clear()
    with mock.patch.object(csp, "build_policy", wraps=csp.build_policy) as built:
        ours, theirs = _both(lambda r: JsonResponse({"code": "full"}, status=409))
        assert ours == theirs and "default-src 'self'" in ours[HEADER].split("; ")
        _both(lambda r: JsonResponse({"code": "full"}, status=409))
    assert built.call_count == 2  # the enforced and the report-only policy, once each, for every answer


def test_a_page_that_uses_its_nonce_gets_it_in_the_header():
    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request = RequestFactory().get("/w/courses/1/")
    response = csp.CSPMiddleware(page)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response[HEADER]
    assert "'nonce-" not in _both(lambda r: HttpResponse("plain"))[0][HEADER]


def test_a_response_with_its_own_policy_and_a_settings_change_are_honoured():
    @csp_update({"img-src": ["https://tiles.example.cn"]})
    def own(request):
        return HttpResponse("map")

    ours, theirs = _both(own)
    assert ours == theirs and "https://tiles.example.cn" in ours[HEADER]
    csp.plain_policies()  # built under the current settings
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        ours, theirs = _both(lambda r: HttpResponse("plain"))
        assert ours == theirs and ours[HEADER] == "default-src 'none'"
    ours, theirs = _both(lambda r: HttpResponse("plain"))
    assert ours == theirs and "default-src 'self'" in ours[HEADER].split("; ")
