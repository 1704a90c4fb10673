"""Settings of the HTTP rush benchmark's server (bench/rush.py): production settings, plus the
bare endpoint's URLconf and an outbox instead of an SMS gateway. Secrets come from the
environment, as in production (bench/rush.py makes throwaway ones)."""

import os

from gonghui.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.rush_urls"
# bench/rush.py --slow-gateway names a slow, flaky gateway instead (bench/slow_gateway.py).
GONGHUI_NOTIFIER = os.environ.get("GONGHUI_BENCH_NOTIFIER", "gonghui.core.notify.MemoryNotifier")
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "ERROR"}}
