"""/health/ (issue 15, item 6): 200 with every part when fit to serve, 503 naming the failing part;
public, and revealing no personal data, keys or fingerprints."""

import base64

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django_scopes import scopes_disabled

from gonghui.core import crypto, keycheck
from gonghui.core.models import KeyFingerprint
from gonghui.members.services import roster
from tests.factories import resident_id

PARTS = {"database", "cache", "task_queue", "disk", "keys", "migrations"}


@pytest.fixture
def keys_recorded(db):
    KeyFingerprint.objects.all().delete()
    assert keycheck.check_keys(record=True) == []


def _health():
    response = Client().get("/health/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_every_part_ok_answers_200(keys_recorded):
    status, body = _health()
    assert status == 200 and body["status"] == "ok" and body["failing"] == []
    assert set(body["parts"]) == PARTS
    assert all(part["status"] == "ok" for part in body["parts"].values())
    assert body["parts"]["task_queue"] == {"status": "ok"}


def test_a_task_nobody_takes_answers_503_naming_the_queue(keys_recorded, clock):
    """The embedded queue with no worker running: a task ready for longer than the limit."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    clock.move_to("2026-03-02T10:00")
    DBTaskResult.objects.create(args_kwargs={"args": [], "kwargs": {"message_id": 1}}, backend_name="default",
                                task_path="gonghui.messaging.tasks.deliver", run_after=get_date_max())
    assert _health()[0] == 200  # just queued: a worker has time to take it
    clock.move_to("2026-03-02T10:20")
    status, body = _health()
    assert status == 503 and body["failing"] == ["task_queue"]


def test_keys_not_this_databases_answer_503_naming_keys(keys_recorded, settings):
    settings.GONGHUI_FIELD_KEYS = [base64.b64encode(b"another-instance-field-key-32byt").decode()]
    status, body = _health()
    assert status == 503 and body["failing"] == ["keys"]
    assert body["parts"]["database"]["status"] == "ok"


def test_malformed_key_answers_503(keys_recorded, settings):
    settings.GONGHUI_HASH_KEY = base64.b64encode(b"abc").decode()
    status, body = _health()
    assert status == 503 and "keys" in body["failing"]


def test_low_disk_answers_503(keys_recorded, settings):
    settings.GONGHUI_HEALTH_MIN_FREE_MB = 10**12  # more than any disk has
    status, body = _health()
    assert status == 503 and body["failing"] == ["disk"]


def test_a_cache_that_loses_what_it_is_given_answers_503(keys_recorded, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    status, body = _health()
    assert status == 503 and body["failing"] == ["cache"]


def test_a_migration_not_applied_answers_503(keys_recorded):
    MigrationRecorder(connection).record_unapplied("core", "0003_key_fingerprint")
    status, body = _health()
    assert status == 503 and "migrations" in body["failing"]


def test_a_database_that_does_not_answer_answers_503(keys_recorded, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.7, port 5432 failed")

    monkeypatch.setattr(type(connections["default"]), "temporary_connection", refuse)
    status, body = _health()
    assert status == 503 and "database" in body["failing"]
    assert "10.0.0.7" not in str(body)  # the reason goes to the log, not to a public page


def test_health_reveals_no_personal_data_keys_or_fingerprints(tree, keys_recorded, settings):
    with scopes_disabled():
        roster.create_member(node=tree.c, actor=tree.user("a_admin"), name="钱七", id_number=resident_id(seq=13),
                             phone="13800000013")
    settings.GONGHUI_FIELD_KEYS = [base64.b64encode(b"another-instance-field-key-32byt").decode()]
    response = Client().get("/health/")  # failing, so the most it would ever say
    text = response.content.decode()
    for secret in ["钱七", resident_id(seq=13), "13800000013", settings.GONGHUI_HASH_KEY,
                   *settings.GONGHUI_FIELD_KEYS, *KeyFingerprint.objects.values_list("fingerprint", flat=True),
                   *crypto.configured_fingerprints()["GONGHUI_FIELD_KEYS"], str(settings.DATA_DIR)]:
        assert secret not in text
    assert "Set-Cookie" not in response.headers
