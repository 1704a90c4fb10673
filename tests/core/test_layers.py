"""Layers inside each app and between apps (issue 23, item 4).

The import contracts in pyproject.toml (run by ``lint-imports`` in CI) are run here too, so a broken
layer fails the suite where it is written. Beyond what import-linter can see, one rule: another
app's model may be *named* — a type, a choice (``NodeKind``, ``Role``), a foreign key's target —
but not *queried*: its rows are read through that app's ``selectors`` and written through its
``services``. The queries on another app's models that are still there are counted per module
below; the count may only go down (lower it when you move one), and a new module may not start.
Raw SQL counts too: a SQL string naming another app's table is a query on its model.
"""

import ast
import functools
import pathlib
import re
import tomllib

from importlinter.cli import lint_imports

ROOT = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gonghui"
MANAGERS = {"objects", "scoped", "_default_manager", "_base_manager"}

TREE = "reads the union tree (orgs.Node) by path or depth; to move into orgs' selectors"
CADRES = "picks cadre accounts for a form; to move into accounts' selectors"
PRIVACY = ("a person's own data in every module, exported or erased in one transaction: the privacy "
           "module is a face over all apps (the layers contract puts it beside the console)")
MESSAGING = "notices and reminders address bookings and members; messaging's own work is moving them"
# module under gonghui/ → (queries on another app's models, why they are still there)
KNOWN = {
    "activities/selectors.py": (2, "venues among positions, and the unions of a volunteer list; " + TREE),
    "console/audit_log.py": (2, TREE),
    "console/context_processors.py": (1, TREE),
    "console/templatetags/legal_services.py": (1, TREE),
    "contests/views.py": (1, CADRES),
    "counselling/indicators.py": (1, TREE),
    "counselling/selectors.py": (1, TREE),
    "counselling/views.py": (1, CADRES),
    "funds/services/allocations.py": (1, TREE),
    "funds/services/projects.py": (1, TREE),
    "funds/views/projects.py": (1, TREE),
    "members/selectors.py": (1, "a sign-up's membership with its union's path in one statement (select_related, "
                                "written as SQL on the sign-up's hot path)"),
    "members/services/joining.py": (7, "the join search over unions and the employer ledger; " + TREE),
    "messaging/notices.py": (3, MESSAGING),
    "messaging/reminders.py": (3, MESSAGING),
    "messaging/selectors.py": (1, TREE),
    "messaging/services.py": (1, "the worker behind a phone number, joined in the outbox's one INSERT (a rushing "
                                 "sign-up's path; docs/activities.md)"),
    "messaging/views.py": (2, MESSAGING),
    "modelworkers/selectors.py": (1, TREE),
    "orgs/api.py": (1, CADRES),
    "positions/selectors.py": (4, "the finder's areas and the unions a position may move to; " + TREE),
    "privacy/selectors.py": (21, PRIVACY),
    "privacy/services.py": (27, PRIVACY),
    "registration/selectors.py": (5, "registration offices and the unions they register; " + TREE),
    "registration/services/offices.py": (4, TREE),
    "rights/selectors.py": (2, TREE),
    "rights/views/checkups.py": (1, "employers to visit; to move into orgs' selectors"),
    "stats/management/commands/stats_check.py": (3, TREE),
    "stats/snapshots.py": (2, TREE),
    "worker/claims.py": (1, TREE),
}


@functools.cache
def _foreign_queries() -> dict[str, list[str]]:
    """module → ["Model (owner app), line n", …] for each query on another app's model."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        parts = rel.split("/")
        if len(parts) < 2 or "migrations" in parts or "templates" in parts or parts[-1] == "demo.py":
            continue  # (demo data loads every module; makemessages leaves *.html.py beside templates)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        foreign = {}
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gonghui.")
                    and node.module.endswith(".models")):
                owner = node.module.split(".")[1]
                if owner not in (parts[0], "core"):
                    foreign.update({alias.asname or alias.name: owner for alias in node.names})
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr in MANAGERS and isinstance(node.value, ast.Name)
                    and node.value.id in foreign):
                found.setdefault(rel, []).append(f"{node.value.id} ({foreign[node.value.id]}), line {node.lineno}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value):
                for table in sorted(set(TABLE.findall(node.value))):  # raw SQL naming another app's table
                    owner = _tables().get(table)
                    if owner is not None and owner not in (parts[0], "core"):
                        found.setdefault(rel, []).append(f"{table} ({owner}, in SQL), line {node.lineno}")
    return found


SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|JOIN|SET)\b", re.S | re.I)
TABLE = re.compile(r"\b([a-z]+_[a-z0-9_]+)\b")


@functools.cache
def _tables() -> dict[str, str]:
    """The project's tables → the app (folder under gonghui/) that owns them."""
    from django.apps import apps

    return {model._meta.db_table: model.__module__.split(".")[1] for model in apps.get_models()
            if model.__module__.startswith("gonghui.")}


def test_the_import_contracts_are_kept():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_every_app_is_layered():
    """A new app with services or selectors is in the per-app layers contract."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c.get("containers"))
    apps = {f"gonghui.{p.relative_to(PACKAGE).parts[0]}"
            for pattern in ("*/services.py", "*/services/__init__.py", "*/selectors.py") for p in PACKAGE.glob(pattern)}
    assert apps <= set(contract["containers"]), sorted(apps - set(contract["containers"]))


def test_no_new_queries_on_another_apps_models():
    found = _foreign_queries()
    grown = {rel: hits for rel, hits in found.items() if len(hits) > KNOWN.get(rel, (0, ""))[0]}
    assert not grown, ("Another app's rows are read through its selectors and written through its services; "
                       "these modules query another app's models:\n"
                       + "\n".join(f"  gonghui/{rel}: {', '.join(hits)}" for rel, hits in sorted(grown.items())))


def test_the_known_list_only_shrinks():
    found = _foreign_queries()
    fewer = {rel: (count, len(found.get(rel, []))) for rel, (count, _) in KNOWN.items()
             if len(found.get(rel, [])) < count}
    assert not fewer, f"Fewer queries than listed (lower the count, or take the module out): {fewer}"
    assert all(reason.strip() for _count, reason in KNOWN.values())
