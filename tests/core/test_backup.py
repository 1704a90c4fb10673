"""Backup and restore (issue 15, item 5): backup → restore → verify round trips on SQLite and
PostgreSQL in a fresh process, and every bad archive refused before anything is written."""

import base64
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django_scopes import scopes_disabled

from gonghui.core import crypto, keycheck
from gonghui.core.models import AuditEntry, KeyFingerprint
from gonghui.members.models import Member
from gonghui.members.services import roster
from tests.factories import make_tree, resident_id

ROOT = Path(__file__).resolve().parents[2]
OTHER_FIELD_KEY = base64.b64encode(b"another-instance-field-key-32byt").decode()
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def _seed(media_root: Path):
    KeyFingerprint.objects.all().delete()  # written with the test keys, whatever an earlier flush recorded
    assert keycheck.check_keys(record=True) == []
    with scopes_disabled():
        tree = make_tree()
        member = roster.create_member(node=tree.c, actor=tree.user("a_admin"), name="赵六",
                                      id_number=resident_id(seq=11), phone="13800000011")
    (media_root / "claims" / "2026").mkdir(parents=True)
    (media_root / "claims" / "2026" / "bill.png").write_bytes(PHOTO)
    return member


def _run(args, tmp_path, database_url, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.core.env_keys_settings",
                   "DATABASE_URL": database_url, "GONGHUI_DATA_DIR": str(tmp_path / "restored-data"),
                   "PYTHONPATH": str(ROOT), **env}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=environment,  # noqa: S603 - our interpreter
                          capture_output=True, text=True, timeout=300)


def _restore(archive, tmp_path, database_url, **env):
    return _run(["-m", "django", "restore", str(archive)], tmp_path, database_url, **env)


def _backup(tmp_path, settings) -> tuple[Path, dict]:
    out = io.StringIO()
    call_command("backup", to=tmp_path / "backups", stdout=out)
    archive = next((tmp_path / "backups").glob("gonghui-backup-*.tar"))
    assert str(archive) in out.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    return archive, manifest


def _assert_no_key_inside(archive: Path, settings):
    data = archive.read_bytes()
    for text in [*settings.GONGHUI_FIELD_KEYS, settings.GONGHUI_HASH_KEY]:
        assert text.encode() not in data
        assert base64.b64decode(text) not in data


def _rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with its manifest changed (the manifest carries no checksum of itself)."""
    with tarfile.open(archive) as src, tarfile.open(target, "w") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


# --- the round trip -----------------------------------------------------------------------------

def _round_trip(tmp_path, settings, media, database_url, count_rows):
    member = _seed(media)
    archive, manifest = _backup(tmp_path, settings)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert manifest["engine"] == connection.vendor and manifest["row_counts"]["members_member"] >= 1
    configured = crypto.configured_fingerprints()
    assert manifest["key_fingerprints"]["GONGHUI_HASH_KEY"] == configured["GONGHUI_HASH_KEY"]
    assert manifest["key_fingerprints"]["GONGHUI_FIELD_KEYS"][-1] == configured["GONGHUI_FIELD_KEYS"][0]
    assert {"gonghui", "django", "python"} <= set(manifest["versions"])
    assert ["core", "0003_key_fingerprint"] in manifest["migrations"]
    assert "media/claims/2026/bill.png" in manifest["files"]
    _assert_no_key_inside(archive, settings)

    result = _restore(archive, tmp_path, database_url)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert str(sum(manifest["row_counts"].values())) in result.stdout  # rows restored, in the user's language
    # audit chain and every registered ledger verified (the output is in Chinese by default)
    assert "aid.disbursements" in result.stdout and "funds.ledger" in result.stdout
    assert f" {AuditEntry.objects.count()} " in result.stdout
    assert (tmp_path / "restored-data" / "media" / "claims" / "2026" / "bill.png").read_bytes() == PHOTO
    restored = count_rows()
    assert restored == manifest["row_counts"]
    assert restored["core_auditentry"] == AuditEntry.objects.count() > 0

    # the same database under another instance's field key: the application will not start
    wrong = _run(["-c", "import gonghui.wsgi"], tmp_path, database_url, GONGHUI_FIELD_KEYS=OTHER_FIELD_KEY)
    assert wrong.returncode == 3, wrong.stderr
    assert "GONGHUI_FIELD_KEYS" in wrong.stderr and "Traceback" not in wrong.stderr
    assert len(wrong.stderr.strip().splitlines()) == 1
    # with its own keys it starts, and reads the member back
    right = _run(["-c", "import gonghui.wsgi; from gonghui.members.models import Member; "
                        "from django_scopes import scopes_disabled\nwith scopes_disabled(): "
                        f"print(Member.objects.get(pk={member.pk}).name)"], tmp_path, database_url)
    assert right.returncode == 0, right.stderr
    assert right.stdout.strip() == "赵六"


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')",
                    reason="the PostgreSQL round trip below runs instead")
def test_sqlite_backup_restores_to_an_identical_verified_instance(transactional_db, tmp_path, settings, media):
    target = tmp_path / "restored.sqlite3"

    def count_rows():
        with sqlite3.connect(target) as db:
            tables = [r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608

    _round_trip(tmp_path, settings, media, f"sqlite:///{target}", count_rows)


@pytest.fixture
def pg_target():
    """A PostgreSQL database of our own, created empty and dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL round trip: run with DATABASE_URL=postgres://…")
    params = {k: v for k, v in connection.get_connection_params().items()
              if k in ("user", "password", "host", "port")}
    name = f"gh_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = params.get("user", "") + (f":{params['password']}" if params.get("password") else "")
    url = f"postgres://{auth}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{name}"
    yield url, {"dbname": name, **params}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_backup_restores_to_an_identical_verified_instance(transactional_db, tmp_path, settings, media,
                                                                      pg_target):
    url, params = pg_target

    def count_rows():
        with psycopg.connect(**params) as db:
            tables = [r[0] for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall()]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608

    _round_trip(tmp_path, settings, media, url, count_rows)


# --- bad archives: refused with a clear message, nothing written ---------------------------------

@pytest.fixture
def archive(transactional_db, tmp_path, settings, media):
    _seed(media)
    path, _manifest = _backup(tmp_path, settings)
    return path


def _refused(path, **kwargs) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), **kwargs)
    message = str(refusal.value)
    assert "\n" not in message.strip()
    return message


def test_another_instances_keys_are_refused_before_writing(archive, tmp_path):
    target = tmp_path / "empty.sqlite3"
    result = _restore(archive, tmp_path, f"sqlite:///{target}", GONGHUI_FIELD_KEYS=OTHER_FIELD_KEY)
    assert result.returncode != 0
    assert "GONGHUI_FIELD_KEYS" in result.stderr and "Traceback" not in result.stderr
    if target.exists():
        with sqlite3.connect(target) as db:
            assert db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    assert not any((tmp_path / "restored-data").rglob("*.png"))


def test_keys_are_checked_before_anything_else_is_looked_at(archive):
    before = Member._base_manager.count()
    # restored before the transactional test's flush, which records keys again (post_migrate)
    with override_settings(GONGHUI_FIELD_KEYS=[OTHER_FIELD_KEY]):
        assert "GONGHUI_FIELD_KEYS" in _refused(archive)
    assert Member._base_manager.count() == before


def test_a_truncated_archive_is_refused(archive, tmp_path):
    cut = tmp_path / "cut.tar"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "cut.tar" in _refused(cut)


def test_a_changed_file_in_the_archive_is_refused(archive, tmp_path):
    data = bytearray(archive.read_bytes())
    at = data.index(PHOTO[:16])
    data[at + 20] ^= 0xFF
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    assert "media/claims/2026/bill.png" in _refused(damaged)


def test_not_an_archive_is_refused(tmp_path, db):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"this is not a tar file" * 40)
    _refused(junk)
    assert "missing.tar" in _refused(tmp_path / "missing.tar")


def test_an_archive_from_a_newer_schema_is_refused(archive, tmp_path):
    newer = _rewrite(archive, tmp_path / "newer.tar",
                     lambda m: m["migrations"].append(["members", "0999_from_the_future"]))
    assert "members.0999_from_the_future" in _refused(newer)


def test_an_archive_of_another_engine_is_refused(archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    foreign = _rewrite(archive, tmp_path / "foreign.tar", lambda m: m.update(engine=other))
    assert other in _refused(foreign)


def test_a_database_that_is_not_empty_is_refused(archive):
    before = Member._base_manager.count()
    message = _refused(archive)
    assert "empty" in message or "空" in message
    assert Member._base_manager.count() == before
