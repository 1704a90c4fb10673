import datetime
import os
import zoneinfo

import pytest
import time_machine
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
    # Lockout state lives in the database and is rolled back with each test; the caches (and the
    # rate-limit counters in them) are emptied too.
    from django.core.cache import caches

    for alias in ("default", "ratelimit"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (Simplified Chinese), whatever the previous
    request activated in this thread (a client request with Accept-Language: en leaves it so)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _force_login_completes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a finished sign-in: for an account that must use an
    authenticator (admins and clerks, see accounts.permissions.requires_totp) that includes its
    code, as a real sign-in would. The second-factor steps themselves are tested with real
    password sign-ins (tests/accounts)."""
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gonghui.accounts.permissions import forget, requires_totp

    original = ClientMixin.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        needed = requires_totp(user)
        forget(user)
        if needed:
            device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                      or TOTPDevice.objects.create(user=user, name="test", confirmed=True))
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "force_login", force_login)


@pytest.fixture(autouse=True)
def _test_tokens_are_issued_after_the_second_factor(monkeypatch):
    """Likewise a token made by ``create_api_token(user=…, name=…)`` in a test stands for one issued
    after the account's second factor was verified. Production callers say so explicitly (default
    False); tests/accounts/test_second_factor.py passes False to test the refusal."""
    from gonghui.accounts import services

    monkeypatch.setitem(services.create_api_token.__kwdefaults__, "second_factor", True)


@pytest.fixture
def tree(db):
    """County A → township B → enterprise C, plus township D beside B; cadres at each role."""
    with scopes_disabled():
        return make_tree()


@pytest.fixture
def unscoped():
    with scopes_disabled():
        yield


# ---------------------------------------------------------------------------------------------
# The clock. Tests never depend on today's date: a date-sensitive test sets the date it needs with
# the ``clock`` fixture, and CI runs the date-sensitive modules again with the whole clock moved to
# hard dates (GONGHUI_TEST_NOW, an ISO date-time in Beijing time, e.g. 2026-12-31T16:30) — the last
# working day of a year, the first of the next, the Spring Festival week, a make-up working
# Saturday. Browser tests keep the real clock (the browser's cookies expire by its own clock).

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")

# Modules whose behaviour turns on the date: deadlines, working days, terms, reminders, renewals,
# periods, reports. ``pytest -m dates`` selects them (the CI step ``hard dates`` does).
DATE_SENSITIVE = (
    "tests/core/test_workdays.py", "tests/rights/", "tests/members/test_joining.py",
    "tests/members/test_transfer_and_card.py", "tests/activities/test_signup.py",
    "tests/activities/test_expire_command.py", "tests/activities/test_views.py",
    "tests/activities/test_copy_term.py", "tests/aid/test_applications.py",
    "tests/aid/test_hardship_api_and_reminders.py", "tests/aid/test_objections.py",
    "tests/registration/test_reminders.py", "tests/registration/test_flow.py",
    "tests/funds/test_projects.py", "tests/stats/", "tests/test_clock.py",
    "tests/worker/test_join_without_poster.py", "tests/activities/test_course_filters.py", "tests/privacy/",
    "tests/activities/test_completion.py", "tests/contests/test_indicators.py",
)


def pytest_configure(config):
    config.addinivalue_line("markers", "dates: behaviour that depends on the date (run at hard dates in CI)")
    moment = hard_now()
    if moment is not None:
        # From before the test modules are imported, so that their constants ("today", "this
        # year") are taken at the hard date too, as they would be on that day.
        travel = time_machine.travel(moment, tick=True)
        travel.start()
        config._gonghui_travel = travel


def pytest_collection_modifyitems(config, items):
    root = str(config.rootpath) + os.sep
    for item in items:
        path = str(item.path).removeprefix(root).replace(os.sep, "/")
        if path.startswith(DATE_SENSITIVE):
            item.add_marker(pytest.mark.dates)


def hard_now() -> datetime.datetime | None:
    """The moment GONGHUI_TEST_NOW names (Beijing time when no offset is given), or None."""
    raw = os.environ.get("GONGHUI_TEST_NOW", "").strip()
    if not raw:
        return None
    moment = datetime.datetime.fromisoformat(raw)
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


class Clock:
    """Moves the process clock (``timezone.now()``, ``date.today()``, ``time.time()``), ticking on."""

    def __init__(self):
        self._travel = None

    def move_to(self, moment: datetime.datetime | datetime.date | str) -> datetime.datetime:
        if isinstance(moment, str):
            moment = datetime.datetime.fromisoformat(moment)
        if not isinstance(moment, datetime.datetime):
            moment = datetime.datetime.combine(moment, datetime.time(10, 0))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BEIJING)
        self.stop()
        self._travel = time_machine.travel(moment, tick=True)
        self._travel.start()
        return moment

    def today(self) -> datetime.date:
        """Today in Beijing, the date the services count with."""
        return datetime.datetime.now(BEIJING).date()

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


@pytest.fixture
def clock(request):
    """The clock of a date-sensitive test; starts at GONGHUI_TEST_NOW when set, else the real time."""
    tick = Clock()
    moment = hard_now()
    if moment is not None:
        tick.move_to(moment)
    yield tick
    tick.stop()


@pytest.fixture(autouse=True)
def _hard_date(request):
    """Under GONGHUI_TEST_NOW every date-sensitive test runs at that moment (browser tests excepted)."""
    moment = hard_now()
    if moment is None or request.node.get_closest_marker("browser") or "clock" in request.fixturenames \
            or "live_server" in request.fixturenames or not request.node.get_closest_marker("dates"):
        yield
        return
    with time_machine.travel(moment, tick=True):
        yield
