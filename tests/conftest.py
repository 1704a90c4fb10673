import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.sms import MemorySmsBackend
from tests.factories import make_tree


@pytest.fixture(autouse=True)
def _clear_outbox():
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _reset_axes(settings):
    # Lockout state lives in the database and is rolled back with each test; the cache too.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Simplified Chinese), whatever the previous
    request activated in this thread (a client request with Accept-Language: en leaves it so)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def tree(db):
    """County A → township B → enterprise C, plus township D beside B; cadres at each role."""
    with scopes_disabled():
        return make_tree()


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield
