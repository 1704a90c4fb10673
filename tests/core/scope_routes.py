"""Scope-proof registration of core's URLs: /health/ is public and shows no data (tests/core/test_health.py)."""

from tests.scope_kit import PUBLIC

ROUTES = {
    "health": PUBLIC,
}
