"""Read replicas against a real streaming replica (issue 21, item 2; gonghui.core.dbrouting).

The module starts its own PostgreSQL primary and a ``pg_basebackup -R`` replica on free ports
(tests/core/pgcluster.py), points the ``default`` alias at the primary and ``replica1`` at the
replica for its tests, builds the tables on the primary (they reach the replica by streaming), and
drives the statistics pages through the test client. Which server ran a query is read from each
connection's own query log. It runs in both CI passes (SQLite and PostgreSQL) wherever
PostgreSQL's server binaries are installed.
"""

import json
import logging
import os
import subprocess
import sys
import time

import dj_database_url
import pytest
from django.apps import apps
from django.db import connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django_scopes import ScopeError, scope, scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.core import dbrouting
from gonghui.core.scoping import Subtree
from gonghui.members.models import Member
from gonghui.members.selectors import id_hash
from gonghui.stats.models import ReportTemplate
from tests.core.pgcluster import Cluster, binaries, runnable
from tests.factories import make_tree, resident_id
from tests.positions.factories import CENTRE, make_position

# The figures' own tables (who-may-see-what, read from accounts' tables, always stays on the primary).
FIGURE_TABLES = ('FROM "members_member"', 'FROM "orgs_node"', "positions_position")


@pytest.fixture(scope="module")
def cluster():
    if (why := runnable()) is not None:
        pytest.skip(f"{why}: no private primary and replica to start")
    started = Cluster(binaries())
    try:
        started.start()
        yield started
    finally:
        started.stop()


def _settings(url, **extra):
    conf = dj_database_url.parse(url)
    conf.update(extra)
    return conf


@pytest.fixture(scope="module")
def databases(cluster, django_db_blocker):
    """``default`` is the private primary and ``replica1`` its replica for this module's tests;
    the session's own test database comes back afterwards."""
    saved_default = connections["default"]
    saved_settings = connections.settings["default"]
    with django_db_blocker.unblock():
        try:
            connections.settings.update(connections.configure_settings({
                "default": _settings(cluster.url("primary")),
                "replica1": _settings(cluster.url("replica"), TEST={"MIRROR": "default"})}))
            connections["default"] = connections.create_connection("default")
            # The tables from the models (the migrations would take minutes): enough for the pages.
            with connections["default"].schema_editor() as editor:
                for model in apps.get_models():
                    if model._meta.managed and not model._meta.proxy:
                        editor.create_model(model)
            with scopes_disabled():
                tree = make_tree()
                number = resident_id(seq=7)
                Member.objects.create(node=tree.c, name="张三", gender="M", birth_date="1990-01-01", id_number=number,
                                      id_hash=id_hash(number), card_number="R0000001", joined_on="2024-01-01")
                make_position(tree.c, tree=tree, open_24h=True)
            cluster.wait_for_replica()
            cluster.wait_for_replay()
            yield tree
        finally:
            for alias in ("default", "replica1"):
                connections[alias].close()
            del connections["replica1"]
            connections.settings.pop("replica1", None)
            connections.settings["default"] = saved_settings
            connections["default"] = saved_default


@pytest.fixture
def routed(databases, settings, django_db_blocker):
    settings.DATABASE_ROUTERS = ["gonghui.core.dbrouting.ReplicaRouter"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:3], "gonghui.core.dbrouting.StickyPrimaryMiddleware",
                           *settings.MIDDLEWARE[3:]]
    settings.GONGHUI_REPLICA_CHECK_SECONDS = 0  # every block checks afresh (the cache has its own test)
    settings.GONGHUI_REPLICA_MAX_LAG_SECONDS = 1
    settings.GONGHUI_REPLICA_STICKY_SECONDS = 60
    with django_db_blocker.unblock():
        yield databases


@pytest.fixture
def caplog(caplog):
    """The router's log lines, even after another test of the run reconfigured logging (dictConfig disables
    the loggers that exist by then, and the project's "gonghui" logger need not propagate to the root)."""
    logger = logging.getLogger("gonghui.replicas")
    disabled = logger.disabled
    logger.disabled = False
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        logger.disabled = disabled


def _reads(queries) -> list[str]:
    """The statements of a query log that read the figures' tables (not health checks, not roles)."""
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in FIGURE_TABLES)]


def _why_not_one(tree, board) -> str:
    """What each server holds when the county's member count is not the one member written."""
    counts = {}
    for alias in ("default", "replica1"):
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT count(*), min(joined_on)::text FROM members_member")
            counts[alias] = cursor.fetchone()
            cursor.execute("SELECT pg_is_in_recovery()")
            counts[alias] += cursor.fetchone()
    return (f"members (count, first joined, standby) per server: {counts}; node {tree.a.pk} {tree.a.path}; "
            f"period {board.period}; cut {board.cut}; from snapshot {board.snapshot}")


def _dashboard(client, tree):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica1"]) as replica:
        response = client.get(f"/stats/?node={tree.a.pk}&period=2025")
    assert response.status_code == 200
    return response, _reads(primary), _reads(replica)


def test_statistics_read_from_the_replica_and_a_write_pins_the_session_to_the_primary(routed, cluster):
    tree = routed
    client = Client()
    client.force_login(tree.user("a_admin"))
    # The rows are the module's, written before; a replica within the allowed lag may still miss
    # the newest (twice in full CI runs under load the count read 0 where both servers held the
    # member a moment later): wait until it has replayed everything, as the figures below assume.
    cluster.wait_for_replay()

    response, on_primary, on_replica = _dashboard(client, tree)
    assert on_replica and not on_primary  # every figure was counted on the replica
    board = response.context["board"]
    assert board.values["members.total"] == 1, _why_not_one(tree, board)
    assert dbrouting.COOKIE not in response.cookies

    # A write (the county's report template), then the dashboard again in the same browser.
    saved = client.post(f"/stats/report/template/?node={tree.a.pk}",
                        {"node": tree.a.pk, "text": "# {node}{period}报告\n会员{members.total}人。", "version": "none"})
    assert saved.status_code in (200, 302) and dbrouting.COOKIE in saved.cookies
    with scopes_disabled():
        assert ReportTemplate.objects.filter(node=tree.a).exists()
    _response, on_primary, on_replica = _dashboard(client, tree)
    assert on_primary and not on_replica

    # Another browser of the same cadre, without the mark, reads the replica again.
    other = Client()
    other.force_login(tree.user("a_admin"))
    _response, on_primary, on_replica = _dashboard(other, tree)
    assert on_replica and not on_primary


def test_searches_and_exports_read_from_the_replica_in_the_console_and_the_api(routed):
    tree = routed
    client = Client()
    client.force_login(tree.user("a_admin"))
    _token, key = create_api_token(user=tree.user("a_admin"), name="replica test")
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for url, headers in [("/members/?q=张", {}), ("/members/export/", {}), ("/api/v1/members?q=张", api),
                         ("/api/v1/members/export.xlsx", api), ("/orgs/tree/search/?q=青山", {}),
                         (f"/api/v1/stations/nearby?lat={CENTRE[0]}&lng={CENTRE[1]}", {})]:
        with CaptureQueriesContext(connections["default"]) as primary, \
                CaptureQueriesContext(connections["replica1"]) as replica:
            response = client.get(url, **headers)
        assert response.status_code == 200, url
        assert _reads(replica) and not _reads(primary), url
        if url.startswith("/members/?"):
            assert response.context["page"].paginator.count == 1  # found on the replica
        if "nearby" in url:
            assert len(response.json()["items"]) == 1


def test_the_mark_after_a_write_holds_for_the_sticky_time_only(routed):
    seen = []

    def view(request):
        with dbrouting.reading_replica():
            seen.append(dbrouting.read_alias())
        return HttpResponse()

    middleware = dbrouting.StickyPrimaryMiddleware(view)
    written = middleware(RequestFactory().post("/"))
    mark = written.cookies[dbrouting.COOKIE]
    assert mark["max-age"] == 60 and mark["httponly"]
    now = time.time()
    for value in (mark.value, now - 1, now + 10_000, "abc"):  # fresh, expired, made by hand, garbage
        request = RequestFactory().get("/")
        request.COOKIES[dbrouting.COOKIE] = str(value)
        assert dbrouting.COOKIE not in middleware(request).cookies  # a read does not renew it
    assert seen == ["default", "default", "replica1", "replica1", "replica1"]


def test_reads_in_a_transaction_or_after_a_write_in_the_block_stay_on_the_primary(routed):
    from django.db import transaction

    tree = routed
    with scopes_disabled(), dbrouting.reading_replica():
        assert dbrouting.read_alias() == "replica1"
        with transaction.atomic():
            assert dbrouting.read_alias() == "default"  # a transaction reads the primary
        assert dbrouting.read_alias() == "replica1"  # that one wrote nothing
        with transaction.atomic():
            Member.objects.filter(card_number="R0000001").update(name="张三丰")
            assert Member.objects.get(card_number="R0000001").name == "张三丰"  # the primary's row
            assert dbrouting.read_alias() == "default"
        assert dbrouting.read_alias() == "default"  # it wrote: the rest of the block reads what it wrote
        assert Member.objects.using("replica1").filter(node=tree.c).count() == 1
    with scopes_disabled(), dbrouting.reading_replica():
        assert dbrouting.read_alias() == "replica1"
        Member.objects.filter(card_number="R0000001").update(name="张三")  # a write outside a transaction
        assert dbrouting.read_alias() == "default"


def test_scoped_managers_keep_their_filters_on_the_replica(routed):
    tree = routed
    with dbrouting.reading_replica():
        with scope(tree=Subtree([tree.d.path])):
            with CaptureQueriesContext(connections["replica1"]) as replica:
                assert Member.objects.count() == 0  # the member is under C, outside D's subtree
        with scope(tree=Subtree([tree.b.path])):
            assert Member.objects.count() == 1
        assert _reads(replica)
        with pytest.raises(ScopeError):
            Member.objects.count()


def test_a_lagging_replica_is_skipped_with_a_log_line_and_used_again_once_caught_up(routed, cluster, caplog):
    caplog.set_level(logging.INFO, logger="gonghui.replicas")
    cluster.replica_sql("SELECT pg_wal_replay_pause()")
    try:
        # Two writes on the primary a little more than the lag limit (1 s) apart; the replica
        # replays neither, so its last replayed transaction is older than the limit.
        with scopes_disabled():
            Member.objects.filter(card_number="R0000001").update(name="李四")
            cluster.replica_sql("SELECT pg_sleep(1.2)")
            Member.objects.filter(card_number="R0000001").update(name="王五")
        with dbrouting.reading_replica():
            assert dbrouting.read_alias() == "default"
        assert any("replica replica1 skipped" in r.getMessage() and "lags behind" in r.getMessage()
                   for r in caplog.records)
    finally:
        cluster.replica_sql("SELECT pg_wal_replay_resume()")
    cluster.wait_for_replay()
    with dbrouting.reading_replica():
        assert dbrouting.read_alias() == "replica1"
    assert any("replica1 healthy again" in r.getMessage() for r in caplog.records)


def test_a_stopped_replica_is_skipped_and_read_again_when_it_is_back(routed, cluster, caplog):
    tree = routed
    client = Client()
    client.force_login(tree.user("a_admin"))
    cluster.stop_replica()
    try:
        _response, on_primary, on_replica = _dashboard(client, tree)
        assert on_primary and not on_replica
        assert any("replica replica1 skipped" in r.getMessage() and "does not answer" in r.getMessage()
                   for r in caplog.records)
    finally:
        cluster.start_replica()
    cluster.wait_for_replay()
    _response, on_primary, on_replica = _dashboard(client, tree)
    assert on_replica and not on_primary


def test_the_health_of_a_replica_is_checked_once_per_interval_not_per_read(routed, settings):
    settings.GONGHUI_REPLICA_CHECK_SECONDS = 300
    dbrouting.health.healthy("replica1")  # checked now, trusted for the interval
    with CaptureQueriesContext(connections["replica1"]) as replica:
        for _ in range(3):
            with dbrouting.reading_replica():
                assert dbrouting.read_alias() == "replica1"
    assert not [q for q in replica.captured_queries if "pg_is_in_recovery" in q["sql"]]


def _settings_from(env) -> subprocess.CompletedProcess:
    """Import the test settings in a fresh interpreter with ``env`` (settings read the environment once)."""
    script = ("import json; from gonghui.settings import test as s; print(json.dumps({'dbs': {a: [c['PORT'], "
              "c['TEST']] for a, c in s.DATABASES.items() if a != 'default'}, 'routers': s.DATABASE_ROUTERS, "
              "'middleware': s.MIDDLEWARE}))")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,  # noqa: S603
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings.test", **env})


def test_replicas_come_from_the_environment_and_need_postgresql():
    two = _settings_from({"DATABASE_URL": "postgres://gonghui@10.0.0.11:5432/gonghui",
                          "GONGHUI_DB_REPLICAS": "postgres://gonghui@10.0.0.12:5432/gonghui, "
                                                 "postgres://gonghui@10.0.0.13:5433/gonghui"})
    assert two.returncode == 0, two.stderr
    loaded = json.loads(two.stdout)
    assert loaded["dbs"] == {"replica1": [5432, {"MIRROR": "default"}], "replica2": [5433, {"MIRROR": "default"}]}
    assert loaded["routers"] == ["gonghui.core.dbrouting.ReplicaRouter"]
    assert "gonghui.core.dbrouting.StickyPrimaryMiddleware" in loaded["middleware"]

    sqlite = _settings_from({"DATABASE_URL": "sqlite:///x.sqlite3", "GONGHUI_DB_REPLICAS": "postgres://h/gonghui"})
    assert sqlite.returncode != 0 and "needs a PostgreSQL DATABASE_URL" in sqlite.stderr
    short = _settings_from({"DATABASE_URL": "postgres://h/gonghui", "GONGHUI_DB_REPLICAS": "postgres://r/gonghui",
                            "GONGHUI_REPLICA_STICKY_SECONDS": "5"})
    assert short.returncode != 0 and "GONGHUI_REPLICA_STICKY_SECONDS must be at least" in short.stderr
