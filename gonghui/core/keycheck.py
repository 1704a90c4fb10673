"""Keys checked at the door: a database only ever runs with the keys it was written with.

The database records the fingerprints (``crypto.fingerprint``) of its field keys and hash key on
the first migrate; from then on the application refuses to start, and commands refuse to run,
when the configured keys do not match, naming the key, in one line. Without this, a database
restored under another instance's keys answered 500 on member lists, called every ledger row
"changed" and, worst, accepted a second active membership for an existing ID number, because the
look-up hashes no longer matched (issue 17, finding 4).

The rule:

- ``GONGHUI_HASH_KEY`` must be the recorded hash key (the look-up hashes depend on it);
- ``GONGHUI_FIELD_KEYS`` must contain the field key recorded last (the one the newest values are
  sealed with). A new newest key in front of it is a rotation: allowed, and recorded when the
  application starts (``record=True``), so that after ``rotate-keys`` the old key can be dropped.

Where it runs: ``refuse_to_serve_with_wrong_keys()`` in ``gonghui/wsgi.py`` (gunicorn),
``refuse_to_run_with_wrong_keys(argv)`` in ``gonghui/cli.py`` before any command, the system check
``keys_at_the_door`` (``check``, ``check --deploy``, ``runserver``, ``migrate``), ``/health/`` and
``gonghui restore`` (against the archive's fingerprints, before anything is written).
"""

import sys

from django.apps import apps
from django.core import checks
from django.db import DatabaseError, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from . import crypto

FIELD, HASH = crypto.FIELD_KEYS_SETTING, crypto.HASH_KEY_SETTING
TABLE = "core_keyfingerprint"
# Commands that run whatever the keys: they read no personal data, check the keys themselves
# (check, restore), or create the database (migrate on an empty database passes the check anyway).
EXEMPT_COMMANDS = {"help", "check", "restore", "version", "makemigrations", "makemessages", "compilemessages"}
# gunicorn stops (instead of restarting workers forever) when a worker exits with this code.
WORKER_BOOT_ERROR = 3


def recorded_fingerprints(using: str = "default") -> dict[str, list[str]] | None:
    """The recorded fingerprints per setting, oldest first; None when the table does not exist."""
    connection = connections[using]
    if TABLE not in connection.introspection.table_names():
        return None
    from .models import KeyFingerprint

    found: dict[str, list[str]] = {FIELD: [], HASH: []}
    for setting, fp in KeyFingerprint.objects.using(using).order_by("pk").values_list("setting", "fingerprint"):
        found.setdefault(setting, []).append(fp)
    return found


def mismatches(recorded: dict[str, list[str]], configured: dict[str, list[str]]) -> list[str]:
    """One line per key setting that does not match what the data was written with."""
    lines = []
    field_fps, hash_fps = recorded.get(FIELD) or [], recorded.get(HASH) or []
    if field_fps and field_fps[-1] not in configured[FIELD]:
        lines.append(_("%(setting)s does not hold the key this database was written with (fingerprint "
                       "%(recorded)s; configured: %(configured)s).")
                     % {"setting": FIELD, "recorded": field_fps[-1], "configured": ", ".join(configured[FIELD])})
    if hash_fps and hash_fps[-1] not in configured[HASH]:
        lines.append(_("%(setting)s is not the key this database was written with (fingerprint %(recorded)s; "
                       "configured: %(configured)s).")
                     % {"setting": HASH, "recorded": hash_fps[-1], "configured": ", ".join(configured[HASH])})
    return lines


def _undecryptable_sample(using: str) -> str:
    """On a database holding data but no fingerprints yet (one from before this check): refuse to
    record keys that cannot decrypt a sample of its encrypted values."""
    from .fields import EncryptedTextField

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    sampled = 0
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedTextField):
                continue
            column, table = connection.ops.quote_name(field.column), connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> '' "  # noqa: S608 - names from the model
                               "LIMIT 1")
                row = cursor.fetchone()
            if row is None:
                continue
            try:
                crypto.decrypt(row[0])
            except Exception:  # noqa: BLE001 - any failure to decrypt means the wrong key
                return _("%(setting)s cannot decrypt the data already in this database (%(field)s).") % {
                    "setting": FIELD, "field": f"{model._meta.label}.{field.name}"}
            sampled += 1
            if sampled >= 5:
                return ""
    return ""


def _record(recorded: dict[str, list[str]], configured: dict[str, list[str]], using: str) -> None:
    from .models import KeyFingerprint

    now = timezone.now()
    # Oldest first, so the newest configured field key gets the highest id: "written with last".
    for setting in (FIELD, HASH):
        for fp in reversed(configured[setting]):
            if fp not in recorded.get(setting, []):
                KeyFingerprint.objects.using(using).get_or_create(setting=setting, fingerprint=fp,
                                                                  defaults={"recorded_at": now})


def check_keys(*, record: bool = False, using: str = "default") -> list[str]:
    """Problems with the configured keys, one line each, naming the setting; empty when they are
    well-formed and match the database. ``record`` writes the fingerprints on a first start and
    those of a new newest field key (rotation)."""
    problems = crypto.key_format_problems()
    if problems:
        return problems
    try:
        recorded = recorded_fingerprints(using)
        if recorded is None:  # a database not migrated yet: nothing written, nothing to compare
            return []
        configured = crypto.configured_fingerprints()
        if not any(recorded.values()):
            problem = _undecryptable_sample(using)
            if problem:
                return [problem]
        else:
            problems = mismatches(recorded, configured)
        if record and not problems:
            _record(recorded, configured, using)
    except DatabaseError:
        return []  # an unreachable database is the health check's and the first query's to report
    return problems


def refusal(problems: list[str]) -> str:
    return _("gonghui will not run with these keys: %(problems)s") % {"problems": " ".join(problems)}


def refuse_to_run_with_wrong_keys(argv: list[str]) -> None:
    """For ``gonghui/cli.py``, before the command runs (settings chosen): exit with one line naming
    the key when the keys are malformed or are not this database's. Exempt: help, check, restore,
    and migrate on an empty database (nothing recorded yet)."""
    command = argv[1].replace("-", "_") if len(argv) > 1 else "help"
    if command.startswith("_") or command in EXEMPT_COMMANDS:
        return
    import django

    django.setup()
    problems = check_keys(record=True)
    if problems:
        sys.stderr.write(refusal(problems) + "\n")
        raise SystemExit(2)


def refuse_to_serve_with_wrong_keys() -> None:
    """For ``gonghui/wsgi.py``, after the application is loaded: the same check; gunicorn stops
    on the worker boot error instead of serving 500s."""
    problems = check_keys(record=True)
    if problems:
        sys.stderr.write(refusal(problems) + "\n")
        sys.stderr.flush()
        raise SystemExit(WORKER_BOOT_ERROR)


@checks.register(checks.Tags.security)
def keys_at_the_door(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``check`` and ``check --deploy`` (and runserver, migrate): malformed keys (E001) and keys
    that are not this database's (E002)."""
    malformed = crypto.key_format_problems()
    if malformed:
        return [checks.Error(line, id="gonghui.E001") for line in malformed]
    return [checks.Error(line, hint=_("Start with the keys this database was written with (see docs/operations.md)."),
                         id="gonghui.E002") for line in check_keys(record=False)]


def record_on_first_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate: a new database records the keys it is about to be written with."""
    check_keys(record=True, using=using)
