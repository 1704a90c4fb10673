"""Issue 17 finding 5: a stopped database or cache gives a clear 503 (page or JSON) with Retry-After,
and the operator a log line with the request id; PostgreSQL statements that hang are cancelled."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def faults(settings):
    settings.ROOT_URLCONF = "tests.core.urls_faults"


@pytest.fixture
def log_output(monkeypatch):
    """What the configured stdout handler writes (the filter puts the request id on each record)."""
    from gonghui.core.middleware import RequestIdFilter

    handler = next(h for h in logging.getLogger().handlers
                   if any(isinstance(f, RequestIdFilter) for f in h.filters))
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    return stream


@pytest.fixture
def database_down(monkeypatch):
    """Every new cursor fails as with a stopped server (connection refused)."""
    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 1 failed: Connection refused')

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


def test_database_error_in_a_view_gives_503_page_in_chinese(faults, log_output):
    response = Client(raise_request_exception=False).get("/faults/db/", headers={"x-request-id": "nginx-req-0001"})
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "暂时无法使用" in html
    assert "Server Error" not in html
    assert response["X-Request-ID"] == "nginx-req-0001"
    logged = log_output.getvalue()
    assert "[nginx-req-0001]" in logged
    assert "OperationalError" in logged and "/faults/db/" in logged
    # Django's own line for the answer ("Service Unavailable: /faults/db/") carries it too
    assert all("[nginx-req-0001]" in line for line in logged.splitlines() if "/faults/db/" in line)


def test_worker_page_gets_the_worker_layout(faults):
    response = Client(raise_request_exception=False).get("/w/faults/db/")
    assert response.status_code == 503
    assert '<body class="worker">' in response.content.decode()


def test_database_error_under_api_gives_json_503(faults):
    response = Client(raise_request_exception=False).get("/api/faults/db/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "unavailable"


def test_cache_down_gives_503(faults):
    response = Client(raise_request_exception=False).get("/faults/cache/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_stopped_database_gives_503_even_before_the_view(tree, client, log_output, database_down):
    """The session and the signed-in user are read in middleware, before any view runs."""
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/console/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "暂时无法使用" in response.content.decode()
    request_id = response["X-Request-ID"]
    assert f"[{request_id}]" in log_output.getvalue()


def test_stopped_database_under_api_gives_json_503(tree, client, database_down):
    client.raise_request_exception = False
    response = client.get("/api/v1/nodes", headers={"authorization": "Bearer nope"})
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "unavailable"


def test_request_id_is_generated_when_the_incoming_one_is_not_sane(client):
    response = client.get("/no-such-page/", headers={"x-request-id": "evil\nid forged log line"})
    assert response["X-Request-ID"] != "evil\nid forged log line"
    assert len(response["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id():
    from gonghui.core.middleware import JsonFormatter, RequestIdFilter

    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Service Unavailable: %s",
                               ("/console/",), None)
    RequestIdFilter().filter(record)
    record.request_id = "abc12345"
    line = json.loads(JsonFormatter().format(record))
    assert line == {**line, "level": "ERROR", "request_id": "abc12345", "message": "Service Unavailable: /console/"}


def _settings_in(argv: list[str], **env) -> dict:
    """The database settings a process started as ``argv`` would get."""
    code = ("import sys, json; sys.argv = json.loads(sys.argv[1]);"
            "import django; django.setup(); from django.conf import settings as s;"
            "print(json.dumps({'opts': s.DATABASES['default'].get('OPTIONS', {}),"
            " 'timeout': s.GONGHUI_DB_STATEMENT_TIMEOUT_MS}))")
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code, json.dumps(argv)], capture_output=True, text=True, check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings.test",
             "DATABASE_URL": "postgres://u@127.0.0.1:1/x", **env})
    return json.loads(out.stdout)


def test_web_processes_get_connect_and_statement_timeouts():
    web = _settings_in(["gunicorn", "gonghui.wsgi:application"])
    assert web["opts"]["connect_timeout"] == 5
    assert "-c statement_timeout=30000" in web["opts"]["options"]
    assert "-c statement_timeout=1500" in \
        _settings_in(["gonghui", "runserver"], GONGHUI_DB_STATEMENT_TIMEOUT_MS="1500")["opts"]["options"]


def test_test_runs_keep_the_statement_timeout():
    """``python -m pytest tests/…`` is not ``python -m gonghui …``: both start as ``__main__.py``."""
    assert _settings_in(["/usr/lib/python3/site-packages/pytest/__main__.py", "tests/core"])["timeout"] == 30_000


def test_migrations_and_backups_are_not_cut():
    for command in (["gonghui", "migrate"], ["manage.py", "backup", "--to", "/tmp/x"], ["gonghui", "import-members"],
                    ["/srv/gonghui/gonghui/__main__.py", "restore", "a.tar"]):
        settings = _settings_in(command)
        assert settings["timeout"] == 0
        assert "statement_timeout" not in settings["opts"].get("options", "")
        assert settings["opts"]["connect_timeout"] == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is a PostgreSQL setting")
def test_postgresql_cancels_a_statement_past_the_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"  # the settings' default reached the server
    from django.db import transaction

    with pytest.raises(OperationalError, match="statement timeout"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(5)")
