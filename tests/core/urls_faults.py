"""The site's URLs plus views that fail on purpose (tests/core/test_error_pages.py, test_outage.py)."""

from django.db import OperationalError
from django.urls import path
from redis.exceptions import ConnectionError as RedisConnectionError

from gonghui.urls import *  # noqa: F403 - the site's handler400/403/404/500 too
from gonghui.urls import urlpatterns as site_urlpatterns


def crash(request):
    raise RuntimeError("a bug")


def database_down(request):
    raise OperationalError('connection to server at "127.0.0.1", port 1 failed: Connection refused')


def cache_down(request):
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:1. Connection refused.")


urlpatterns = [
    path("faults/crash/", crash),
    path("faults/db/", database_down),
    path("faults/cache/", cache_down),
    path("w/faults/db/", database_down),
    path("api/faults/crash/", crash),
    path("api/faults/db/", database_down),
    *site_urlpatterns,
]
