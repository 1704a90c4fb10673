"""Backup and restore: one tar archive holding a consistent database snapshot, the uploaded files
and a manifest; restored only into an empty database, with the right keys, and verified.

Archive (``gonghui-backup-<UTC time>.tar``, mode 0600):

- ``database.sqlite3`` — SQLite's online backup API (``sqlite3.Connection.backup``): a consistent
  copy of a live database, WAL included; or ``database.pgdump`` — ``pg_dump --format=custom``
  run on a snapshot exported from a REPEATABLE READ transaction, the same snapshot the manifest's
  row counts, migration state and key fingerprints are read from, so they describe the dump
  exactly;
- ``media/…`` — every file under MEDIA_ROOT (with ``GONGHUI_STORAGE=s3`` the uploads are in the
  object store, not in the archive: the manifest's ``uploads`` names the bucket);
- ``manifest.json`` (last) — time, versions, engine, applied migrations, row counts per table,
  the database's key fingerprints (never a key) and the size and SHA-256 of every file.

Restore refuses, before writing anything: a damaged or truncated archive (every file is read and
checked against the manifest first), keys that do not match the archive's fingerprints (naming
the key), an archive of another engine, an archive from a newer schema (migrations this code does
not know), a database that is not empty, a media folder that is not empty. After writing it
checks the row counts, the audit chain, its signed checkpoints and the ledgers (as ``audit-verify``)
and that a sample of every encrypted field decrypts.

django-dbbackup was considered and not used: its SQLite restore copies the file over a live
database (our SQLite runs in WAL mode), its commands write the database and the media as separate
files with no manifest, and restore neither checks keys before writing nor refuses a non-empty
database nor verifies the result — only its ``pg_dump`` wrapper would have been left, which is
the few lines of ``_pg_dump`` below, run with Django's own connection arguments.
"""

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore with argument lists, no shell
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

from . import crypto, keycheck
from .audit import verify_chain
from .checkpoints import verify_checkpoints
from .fields import EncryptedTextField
from .integrity import verifiers
from .scoping import scopes_disabled

FORMAT = "gonghui-backup/1"
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA = "media"
DECRYPT_SAMPLE = 25  # values per encrypted field read back after a restore


class BackupError(Exception):
    """A refusal or failure, in one sentence for the operator."""


@dataclass
class Snapshot:
    row_counts: dict[str, int]
    migrations: list[list[str]]
    fingerprints: dict[str, list[str]]


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    audit_rows: int = 0
    ledgers: dict[str, int] = field(default_factory=dict)
    decrypted: int = 0
    pending_migrations: list[str] = field(default_factory=list)


def engine_of(connection) -> str:
    if connection.vendor in DATABASE_FILES:
        return connection.vendor
    raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor})


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fingerprints_from(rows) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {crypto.FIELD_KEYS_SETTING: [], crypto.HASH_KEY_SETTING: []}
    for setting, fp in rows:
        found.setdefault(setting, []).append(fp)
    return found


# --- taking the snapshot ---------------------------------------------------------------------------

def _sqlite_snapshot(connection, dest: Path) -> Snapshot:
    if connection.in_atomic_block:  # the copy would wait for our own transaction forever
        raise BackupError(_("A backup cannot be taken inside an open transaction."))
    connection.ensure_connection()
    with closing(sqlite3.connect(dest)) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    with closing(sqlite3.connect(dest)) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
        migrations = [list(r) for r in db.execute("SELECT app, name FROM django_migrations ORDER BY id")]
        fps = _fingerprints_from(db.execute(f"SELECT setting, fingerprint FROM {keycheck.TABLE} ORDER BY id"))  # noqa: S608
    return Snapshot(counts, migrations, fps)


def _pg_command(connection, program: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment as Django's own ``dbshell`` builds them."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, [])
    return [program, *args[1:]], {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(_("%(program)s was not found: install the PostgreSQL client programs "
                            "(the version of the server or newer).") % {"program": command[0]}) from None
    except subprocess.CalledProcessError as error:
        last = (error.stderr or "").strip().splitlines()[-1:] or [str(error.returncode)]
        raise BackupError(_("%(program)s failed: %(error)s") % {"program": command[0], "error": last[0]}) from None


def _pg_snapshot(connection, dest: Path) -> Snapshot:
    own = connections.create_connection(connection.alias)  # a transaction of its own, whatever the caller's
    try:
        own.ensure_connection()
        with own.connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
            tables = [r[0] for r in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {own.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = [list(r) for r in cursor.fetchall()]
            cursor.execute(f"SELECT setting, fingerprint FROM {keycheck.TABLE} ORDER BY id")  # noqa: S608
            fps = _fingerprints_from(cursor.fetchall())
            command, env = _pg_command(connection, "pg_dump")
            _run([command[0], "--format=custom", f"--snapshot={snapshot_id}", f"--file={dest}", *command[1:]], env)
            cursor.execute("ROLLBACK")
    finally:
        own.close()
    return Snapshot(counts, migrations, fps)


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


class _HashingReader:
    def __init__(self, f, digest):
        self.f, self.digest = f, digest

    def read(self, size=-1):
        data = self.f.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    info = tarfile.TarInfo(arcname)
    info.size, info.mtime, info.mode = path.stat().st_size, int(path.stat().st_mtime), 0o600
    digest = hashlib.sha256()
    with path.open("rb") as f:
        tar.addfile(info, _HashingReader(f, digest))
    return {"size": info.size, "sha256": digest.hexdigest()}


def _version() -> str:
    try:
        return metadata.version("gonghui")
    except metadata.PackageNotFoundError:
        return "unknown"


def _uploads_note() -> dict:
    """Where the uploaded files are. On an object store they are not copied into the archive: a
    province's bucket is far larger than its database, and the store keeps its own versions and
    replicas (docs/operations.md, "Uploads on an object store")."""
    if settings.GONGHUI_STORAGE != "s3":
        return {"storage": "local", "included": True}
    return {"storage": "s3", "included": False, "bucket": settings.GONGHUI_S3_BUCKET,
            "prefix": settings.GONGHUI_S3_PREFIX, "endpoint": settings.GONGHUI_S3_ENDPOINT_URL}


def create_backup(*, to: Path, using: str = "default", media_root: Path | None = None) -> tuple[Path, dict]:
    """Write the archive into ``to``; return its path and manifest. Refuses keys that are not the
    database's: a backup names the keys its data needs."""
    problems = keycheck.check_keys(record=True, using=using)
    if problems:
        raise BackupError(keycheck.refusal(problems))
    connection = connections[using]
    engine = engine_of(connection)
    media_root = Path(settings.MEDIA_ROOT if media_root is None else media_root)
    to.mkdir(parents=True, exist_ok=True)
    created = timezone.now()
    stem = f"gonghui-backup-{created.strftime('%Y%m%dT%H%M%SZ')}"
    final, n = to / f"{stem}.tar", 1
    while final.exists():
        n += 1
        final = to / f"{stem}-{n}.tar"
    partial = final.with_name(final.name + ".partial")
    db_name = DATABASE_FILES[engine]
    with tempfile.TemporaryDirectory(dir=to, prefix=".gonghui-backup-") as work:
        dump = Path(work) / db_name
        snapshot = (_sqlite_snapshot if engine == "sqlite" else _pg_snapshot)(connection, dump)
        files = {}
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    files[db_name] = _add_file(tar, dump, db_name)
                    for path in _media_files(media_root):
                        arcname = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                        files[arcname] = _add_file(tar, path, arcname)
                    manifest = {
                        "format": FORMAT,
                        "created_at": created.isoformat(),
                        "engine": engine,
                        "database": db_name,
                        "versions": {"gonghui": _version(), "django": django.get_version(),
                                     "python": platform.python_version()},
                        "migrations": snapshot.migrations,
                        "row_counts": snapshot.row_counts,
                        "key_fingerprints": snapshot.fingerprints,
                        "files": files,
                        "uploads": _uploads_note(),
                    }
                    data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o600
                    tar.addfile(info, io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
    return final, manifest


# --- restoring ------------------------------------------------------------------------------------

def _damaged(archive: Path, detail: str) -> BackupError:
    return BackupError(_("The archive %(name)s is damaged or incomplete (%(detail)s); nothing was restored.")
                       % {"name": archive.name, "detail": detail})


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def unpack(archive: Path, work: Path) -> dict:
    """Read every file of the archive into ``work`` and check it against the manifest."""
    digests: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive, mode="r:") as tar:
            for member in tar:
                if not member.isfile() or not _safe_name(member.name):
                    raise _damaged(archive, _("unexpected entry %(name)s") % {"name": member.name})
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = source.read()
                    continue
                target = work / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
                digests[member.name] = {"size": target.stat().st_size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, EOFError, OSError) as error:
        if isinstance(error, FileNotFoundError):
            raise BackupError(_("There is no archive at %(path)s.") % {"path": archive}) from None
        raise _damaged(archive, str(error) or type(error).__name__) from None
    if manifest_bytes is None:
        raise _damaged(archive, _("no manifest: the archive ends early"))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise _damaged(archive, _("the manifest is not readable")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(name)s is not a gonghui backup of a format this version reads.") % {"name": archive.name})
    if manifest["files"] != digests:
        missing = sorted(set(manifest["files"]) - set(digests))
        changed = sorted(n for n in digests if manifest["files"].get(n) != digests[n])
        raise _damaged(archive, _("files missing or changed: %(names)s") % {"names": ", ".join((missing + changed)[:5])})
    return manifest


def _refuse_other_keys(manifest: dict) -> None:
    problems = crypto.key_format_problems()
    recorded = manifest.get("key_fingerprints") or {}
    if not problems:
        if not any(recorded.values()):
            problems = [_("The archive names no key fingerprints, so its keys cannot be checked.")]
        else:
            problems = keycheck.mismatches(recorded, crypto.configured_fingerprints())
    if problems:
        raise BackupError(_("Not restored: %(problems)s Set the keys the archive was written with and run "
                            "restore again; nothing was written.") % {"problems": " ".join(problems)})


def _refuse_newer_schema(manifest: dict) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    archived = {tuple(m) for m in manifest["migrations"]}
    unknown = sorted(f"{app}.{name}" for app, name in archived - known)
    if unknown:
        raise BackupError(_("Not restored: the archive comes from a newer gonghui (%(version)s) with migrations "
                            "this version does not know (%(names)s). Install that version or newer, then "
                            "restore.") % {"version": manifest["versions"].get("gonghui", "?"),
                                           "names": ", ".join(unknown[:5])})
    return sorted(f"{app}.{name}" for app, name in known - archived
                  if app in {a.label for a in apps.get_app_configs()})


def _refuse_non_empty(connection, media_root: Path) -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(_("Not restored: the database is not empty (%(n)d tables). Restore into a new, empty "
                            "database.") % {"n": len(tables)})
    if _media_files(media_root):
        raise BackupError(_("Not restored: the media folder %(path)s already holds files. Restore into an empty "
                            "folder.") % {"path": media_root})


def _write_database(connection, engine: str, dump: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        with closing(sqlite3.connect(dump)) as source:
            source.backup(connection.connection)
        return
    connection.close()
    command, env = _pg_command(connection, "pg_restore")
    _run([command[0], "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          *command[1:-1], f"--dbname={command[-1]}", str(dump)], env)


def _write_media(work: Path, media_root: Path) -> int:
    source, n = work / MEDIA, 0
    if not source.is_dir():
        return 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = media_root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        n += 1
    return n


def verify_restored(manifest: dict, *, using: str = "default") -> tuple[RestoreReport, list[str]]:
    """Row counts against the manifest, the audit chain and ledgers, a sample of every encrypted field."""
    connection = connections[using]
    report, problems = RestoreReport(), []
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest["row_counts"].items()):
            if table not in present:
                problems.append(_("table %(table)s is missing") % {"table": table})
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            got = cursor.fetchone()[0]
            report.tables, report.rows = report.tables + 1, report.rows + got
            if got != expected:
                problems.append(_("table %(table)s has %(got)d rows, the manifest says %(expected)d")
                                % {"table": table, "got": got, "expected": expected})
    with scopes_disabled():
        chain = verify_chain()
        report.audit_rows = chain.checked
        problems += [_("audit log: %(problem)s") % {"problem": p} for p in chain.problems]
        # The archive's signed checkpoints against its rows. Not the exported copies on this machine:
        # restoring an older backup here would "lose" the checkpoints signed since (audit-verify says so).
        problems += [_("audit log: %(problem)s") % {"problem": p} for p in verify_checkpoints(exported=[]).problems]
        for label, verify in verifiers().items():
            checked, ledger_problems = verify()
            report.ledgers[label] = checked
            problems += [f"{label}: {p}" for p in ledger_problems]
        for model in apps.get_models():
            for f in model._meta.concrete_fields:
                if isinstance(f, EncryptedTextField) and model._meta.db_table in present:
                    try:
                        values = list(model._base_manager.using(using).filter(**{f"{f.name}__isnull": False})
                                      .order_by("pk").values_list(f.name, flat=True)[:DECRYPT_SAMPLE])
                    except Exception:  # noqa: BLE001 - a value that does not decrypt, whatever the error
                        problems.append(_("%(field)s does not decrypt with the configured keys")
                                        % {"field": f"{model._meta.label}.{f.name}"})
                        continue
                    report.decrypted += sum(1 for v in values if v)
    return report, problems


def restore_backup(archive: Path, *, using: str = "default", media_root: Path | None = None) -> RestoreReport:
    """Check everything that can be checked, then write the database and files, then verify."""
    connection = connections[using]
    engine = engine_of(connection)
    media_root = Path(settings.MEDIA_ROOT if media_root is None else media_root)
    with tempfile.TemporaryDirectory(dir=archive.parent if archive.parent.is_dir() else None,
                                     prefix=".gonghui-restore-") as tmp:
        work = Path(tmp)
        manifest = unpack(archive, work)
        _refuse_other_keys(manifest)
        if manifest["engine"] != engine:
            raise BackupError(_("Not restored: the archive holds a %(archived)s database and this instance runs "
                                "%(engine)s.") % {"archived": manifest["engine"], "engine": engine})
        pending = _refuse_newer_schema(manifest)
        _refuse_non_empty(connection, media_root)
        _write_database(connection, engine, work / manifest["database"])
        media_files = _write_media(work, media_root)
    report, problems = verify_restored(manifest, using=using)
    report.media_files, report.pending_migrations = media_files, pending
    if problems:
        raise BackupError(_("The restored database did not verify: %(problems)s") % {"problems": "; ".join(problems[:10])})
    keycheck.check_keys(record=True, using=using)  # a rotation's new newest key, recorded once all is well
    return report
