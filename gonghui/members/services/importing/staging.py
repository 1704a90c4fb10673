"""The console's two steps, stage (preview) and commit, and the error report.

Between the preview and the confirmation the parsed good rows wait in DATA_DIR/imports, sealed
with the field-encryption key (they hold ID numbers) under a random name bound to the user.
Confirming re-validates them against the roster as it is then, so a preview never goes stale; the
staged file is claimed by an atomic rename, so a double submit imports once.

A run holds an exclusive lock (flock) on its claimed ``.running`` file for as long as it works. The
operating system drops the lock when the process dies, so a ``.running`` file whose lock can be
taken was left by a crash: its one transaction was rolled back and the retry runs it again from
the staged rows. A lock still held means the run is alive: the retry is told to wait.
"""

import dataclasses
import datetime
import fcntl
import hashlib
import json
import os
import re
import secrets
import time
from pathlib import Path

from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import crypto
from gonghui.core.errors import DomainError
from gonghui.core.limits import FILE_NAME_LABEL, shortened_file_name
from gonghui.core.xlsx import build_workbook

from .parsing import ParsedRoster, ParsedRow, RowError, parse_table
from .planning import Progress, _collector_paused, plan_import
from .reading import read_table
from .writing import check_target, write_plan


def build_error_report(*, errors: list[RowError], exported_by: str) -> bytes:
    """The rows that were not imported, as xlsx (cells that look like formulas are escaped)."""
    return build_workbook(title=_("Import errors"), exported_by=exported_by,
                          headers=[_("Row"), _("Column"), _("Value"), _("Reason")],
                          rows=((e.row, e.column, e.value, e.reason) for e in errors))


STAGE_TTL = datetime.timedelta(hours=24)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def _stage_dir() -> Path:
    path = Path(settings.GONGHUI_IMPORT_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _stage_path(token: str, suffix: str = ".json") -> Path:
    if not _TOKEN.fullmatch(token or ""):
        raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file again."))
    return _stage_dir() / f"{token}{suffix}"


def _write_stage(token: str, payload: dict) -> None:
    sealed = crypto.encrypt(json.dumps(payload, ensure_ascii=False, default=str), associated=token.encode())
    path = _stage_path(token)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(sealed, encoding="ascii")
    os.replace(tmp, path)


def _read_stage(path: Path, token: str, actor) -> dict:
    try:
        payload = json.loads(crypto.decrypt(path.read_text(encoding="ascii"), associated=token.encode()))
    except (OSError, ValueError, KeyError, InvalidTag):
        raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file "
                                                "again.")) from None
    created = datetime.datetime.fromisoformat(payload["created"])
    if payload["user"] != getattr(actor, "pk", None) or timezone.now() - created > STAGE_TTL:
        raise DomainError("import_not_found", _("This import does not exist or has expired; upload the file again."))
    return payload


def _purge_expired() -> None:
    cutoff = time.time() - STAGE_TTL.total_seconds()
    for path in _stage_dir().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            continue


def _row_to_json(prow: ParsedRow) -> list:
    return [prow.row, {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in prow.values.items()},
            prow.raw]


def _row_from_json(item: list) -> ParsedRow:
    row, values, raw = item
    for field in ("joined_on", "birth_date"):
        if field in values:
            values[field] = datetime.date.fromisoformat(values[field])
    return ParsedRow(row=row, values=values, raw=raw)


@dataclasses.dataclass
class StagedImport:
    token: str
    state: str  # "staged" or "done"
    node_id: int
    filename: str
    counts: dict
    errors: list[RowError]
    columns: dict
    ignored_columns: list[str]
    header_row: int
    sheet: str
    seconds: float = 0.0


def _staged(token: str, payload: dict) -> StagedImport:
    return StagedImport(token=token, state=payload["state"], node_id=payload["node"], filename=payload["filename"],
                        counts=payload["counts"], errors=[RowError(*e) for e in payload["errors"]],
                        columns=payload["columns"], ignored_columns=payload["ignored"],
                        header_row=payload["header_row"], sheet=payload["sheet"],
                        seconds=payload.get("seconds", 0.0))


@_collector_paused()
def stage_import(*, actor, data: bytes, filename: str, node) -> StagedImport:
    """Read and validate the upload, keep the good rows for the confirmation; writes no roster data."""
    check_target(actor=actor, node=node)
    _purge_expired()
    plan = plan_import(parsed=parse_table(table=read_table(data=data, filename=filename)), node=node)
    token = secrets.token_urlsafe(24)
    payload = {
        "state": "staged", "user": actor.pk, "node": node.pk, "filename": shortened_file_name(os.path.basename(filename), FILE_NAME_LABEL),
        "created": timezone.now().isoformat(), "file_sha256": hashlib.sha256(data).hexdigest(),
        "counts": plan.counts(), "errors": [dataclasses.astuple(e) for e in plan.errors],
        "columns": plan.parsed.columns, "ignored": plan.parsed.ignored_columns,
        "header_row": plan.parsed.header_row, "sheet": plan.parsed.sheet,
        "parse_errors": [dataclasses.astuple(e) for e in plan.parsed.errors],
        "data_rows": plan.parsed.data_rows, "skipped": plan.parsed.skipped,
        "rows": [_row_to_json(r) for r in plan.good_rows],
    }
    _write_stage(token, payload)
    return _staged(token, payload)


def load_staged_import(*, actor, token: str) -> StagedImport:
    path = _stage_path(token)
    if not path.exists():
        path = _stage_path(token, ".running")
    return _staged(token, _read_stage(path, token, actor))


def _done_error() -> DomainError:
    return DomainError("import_done", _("This import has already been carried out or has expired."))


def _claim(path: Path, running: Path) -> int:
    """Claim the staged file for this run: a descriptor of ``.running`` holding its exclusive lock.

    A fresh preview is claimed by renaming it; a ``.running`` file whose lock is free was left by
    a run that died (resumed here); a held lock is a run in progress (refused)."""
    try:
        os.rename(path, running)
    except FileNotFoundError:
        if not running.exists():
            raise _done_error() from None
    try:
        fd = os.open(running, os.O_RDWR)
    except FileNotFoundError:
        raise _done_error() from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        # The run we waited on may have finished and removed the file between our open and lock.
        if not running.exists() or os.stat(running).st_ino != os.fstat(fd).st_ino:
            raise _done_error()
    except BlockingIOError:
        os.close(fd)
        raise DomainError("import_running", _("This import is being carried out right now; wait a minute and "
                                              "open it again to see the result.")) from None
    except BaseException:
        os.close(fd)
        raise
    return fd


@_collector_paused()
def commit_staged_import(*, actor, token: str, node, progress: Progress | None = None) -> StagedImport:
    """Run a previewed import. The staged file is claimed by an atomic rename and locked while the
    run works, so a double submit imports once and a run that crashed can be run again; the rows are
    validated again against the roster as it is now."""
    started = time.perf_counter()
    path, running = _stage_path(token), _stage_path(token, ".running")
    fd = _claim(path, running)
    try:
        try:
            payload = _read_stage(running, token, actor)
            if payload["state"] != "staged":
                raise _done_error()
            if payload["node"] != node.pk:
                raise DomainError("import_not_found", _("This import does not exist or has expired; upload the "
                                                        "file again."))
            check_target(actor=actor, node=node)
            parsed = ParsedRoster(sheet=payload["sheet"], header_row=payload["header_row"],
                                  columns=payload["columns"], ignored_columns=payload["ignored"],
                                  rows=[_row_from_json(r) for r in payload["rows"]],
                                  errors=[RowError(*e) for e in payload["parse_errors"]], skipped=payload["skipped"],
                                  data_rows=payload["data_rows"])
            plan = plan_import(parsed=parsed, node=node, progress=progress)
            counts = write_plan(plan=plan, actor=actor, progress=progress, file_hash=payload["file_sha256"])
        except BaseException:
            if running.exists():
                os.replace(running, path)  # the preview stays usable after a refusal or a failure
            raise
        result = {**payload, "state": "done", "rows": [], "counts": counts,
                  "errors": [dataclasses.astuple(e) for e in plan.errors], "seconds": time.perf_counter() - started}
        _write_stage(token, result)
        running.unlink(missing_ok=True)
    finally:
        os.close(fd)
    return _staged(token, result)
