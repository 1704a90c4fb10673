"""The API's routes are grouped by their first segment (gonghui.api.urls.grouped) so that a request
tries a few dozen patterns, not all 227: the same view, arguments, name and route for every path
as the flat list ninja makes, and the workers' sign-up reached after far fewer tries."""

import re
from unittest import mock

from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RegexPattern
from ninja import NinjaAPI

from gonghui.api.urls import api, grouped


def _flat():
    return NinjaAPI._get_urls(api)


def _view(func):
    """What a route serves: ninja makes a new wrapper function (or partial) each time it lists
    its routes, around the same path view (or function and API)."""
    if hasattr(func, "keywords"):
        return func.func, tuple(func.keywords.items())
    return tuple(cell.cell_contents for cell in func.__closure__ or ())


def _sample(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "a/b" if m.group(1) == "path" else "7", route)


def test_every_route_resolves_as_in_the_flat_list():
    flat = URLResolver(RegexPattern(r"^/api/v1/"), _flat())
    tree = get_resolver()
    checked = 0
    for pattern in _flat():
        url = "/api/v1/" + _sample(str(pattern.pattern))
        expected, got = flat.resolve(url), tree.resolve(url)
        assert (_view(got.func), got.kwargs, got.url_name) == (_view(expected.func), expected.kwargs, expected.url_name), url
        assert _view(got.func), url
        assert got.route == "api/v1/" + expected.route, url
        checked += 1
    assert checked == len(_flat()) > 200


def test_the_sign_up_tries_few_patterns():
    tried, includes = [], []
    original, original_include = URLPattern.resolve, URLResolver.resolve

    def counting(self, path):
        tried.append(self)
        return original(self, path)

    def counting_include(self, path):
        includes.append(self)
        return original_include(self, path)

    with mock.patch.object(URLPattern, "resolve", counting), \
            mock.patch.object(URLResolver, "resolve", counting_include):
        match = get_resolver().resolve("/api/v1/w/courses/5/sign-up")
    assert match.url_name == "worker_sign_up"
    # Before the grouping: the site's 4 patterns and 20 includes before /api/v1/ and 216 of the API's
    # routes; then 34 patterns and 50 includes with the 'w' group last; now /api/v1/ first in the site,
    # 'w/' first in the API, and the 'w' group's routes up to the sign-up.
    assert len(tried) <= 4, len(tried)
    assert len(includes) <= 5, len(includes)


def _route(route: str) -> URLPattern:
    return path(route, lambda request: None, name=route)


def test_a_group_named_first_goes_first_only_past_what_cannot_match_its_paths():
    plain = grouped([_route("docs"), _route("nodes/list"), _route("w/me")], first=("w",))
    assert [str(p.pattern) for p in plain] == ["w/", "docs", "nodes/"]
    # A route with a converter in its first segment could match "w/…": the group stays behind it.
    held = grouped([_route("<str:kind>/me"), _route("w/me")], first=("w",))
    assert [str(p.pattern) for p in held] == ["<str:kind>/me", "w/"]
