"""The one state-machine shape (core/statemachine.py) and the workflows declared with it.

- ``Machine.apply`` checks the move's action (the caller's callback), then the state, then the
  move's named requirements, and only then changes the state field;
- every declared machine names declared actions and is drawn, up to date, in its module's doc
  (python3 tools/state_diagrams.py rewrites the diagrams);
- no service changes a workflow's state field itself: a scan of the workflow apps' services finds
  every assignment to the field outside the machine.
"""

import ast
import sys
from pathlib import Path

import pytest
from django.db import models

from gonghui.core import permissions as declared
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.statemachine import Machine, Move, Requirement

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import state_diagrams  # noqa: E402


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    OFF = "off", "Off"


class Row:
    def __init__(self, state):
        self.state = state


def _battery_full(row, move, context):
    return None if context.get("battery", 100) > 10 else DomainError("battery_low", "Battery low")


LIGHT = Machine(name="test.light", field="state", states=Light, initial=[Light.RED],
                wrong_state=lambda row, move: DomainError("wrong_state", f"{move.name} from {row.state}"), moves=[
    Move("go", {Light.RED}, Light.GREEN, "test.go", requires=[Requirement("battery_full", _battery_full)]),
    Move("stop", {Light.GREEN}, Light.RED, "test.stop"),
    Move("switch_off", {Light.RED, Light.GREEN}, Light.OFF),
])


def test_apply_checks_the_action_then_the_state_then_the_requirements_then_moves():
    calls = []

    def refuse(move):
        calls.append(move.permission)
        raise NotPermitted(move.permission)

    row = Row(Light.GREEN)
    with pytest.raises(NotPermitted):  # the action first, even from a wrong state
        LIGHT.apply(row, "go", permit=refuse)
    assert calls == ["test.go"] and row.state == Light.GREEN
    with pytest.raises(DomainError) as wrong:
        LIGHT.apply(row, "go", permit=lambda move: None)
    assert wrong.value.code == "wrong_state" and row.state == Light.GREEN
    row = Row(Light.RED)
    with pytest.raises(DomainError) as low:
        LIGHT.apply(row, "go", battery=5)
    assert low.value.code == "battery_low" and row.state == Light.RED
    assert LIGHT.apply(row, "go", battery=50).target == Light.GREEN and row.state == Light.GREEN
    with pytest.raises(DomainError) as told:  # the caller's own refusal for a wrong state
        LIGHT.apply(row, "go", wrong_state=lambda r, m: DomainError("decided"))
    assert told.value.code == "decided"


def test_a_declaration_with_an_unknown_state_or_a_move_twice_is_refused():
    with pytest.raises(ValueError, match="unknown states"):
        Machine(name="bad", field="state", states=Light, moves=[Move("fly", {Light.RED}, "sky")])
    with pytest.raises(ValueError, match="declared twice"):
        Machine(name="bad", field="state", states=Light,
                moves=[Move("go", {Light.RED}, Light.GREEN), Move("go", {Light.OFF}, Light.GREEN)])


def test_the_diagram_is_mermaid_with_each_move_its_action_and_requirements():
    assert LIGHT.diagram() == (
        "stateDiagram-v2\n"
        "    red : Red\n"
        "    green : Green\n"
        "    off : Off\n"
        "    [*] --> red\n"
        "    red --> green : go (test.go) if battery_full\n"
        "    green --> red : stop (test.stop)\n"
        "    red --> off : switch_off\n"
        "    green --> off : switch_off\n"
        "    off --> [*]\n")
    assert [m.name for m in LIGHT.available(Light.GREEN)] == ["stop", "switch_off"]
    assert LIGHT.allows(Light.RED, "go") and not LIGHT.allows(Light.OFF, "go") and not LIGHT.allows(Light.RED, "x")


def test_every_workflow_is_declared_on_the_one_shape_with_declared_actions():
    machines = state_diagrams.machines()
    assert {m.name for m in machines} == {
        "members.application", "members.transfer", "rights.case", "aid.application", "registration.application",
        "funds.project", "funds.award_call", "funds.allocation_order"}
    for machine in machines:
        assert machine.initial, machine.name
        for move in machine.moves:
            if move.permission:
                declared.action(move.permission)  # raises for an undeclared code


def test_the_state_diagrams_in_the_module_docs_are_the_declared_machines():
    stale = [path.name for path, text in state_diagrams.render().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert not stale, f"{stale}: run python3 tools/state_diagrams.py"


# --- no state change outside the machine ---------------------------------------------------------------

# The workflow apps and the state field of their machines' models.
WATCHED = {"members": "status", "rights": "stage", "aid": "status", "registration": "status", "funds": "state"}

# Assignments to a field of that name that are not a workflow's state: (file, expression) → why.
NOT_A_WORKFLOW = {
    ("gonghui/members/services/roster.py", "member.status"): "a member's own status (active, left), not a workflow",
    ("gonghui/aid/services/hardship.py", "file.status"): "a hardship file on or off the registry",
    ("gonghui/aid/services/objections.py", "objection.status"): "an objection's decision",
    ("gonghui/aid/services/objections.py", "Objection.objects"): "the other objections answered by one decision",
    ("gonghui/aid/services/wishes.py", "wish.status"): "a small wish claimed, fulfilled or withdrawn",
    ("gonghui/registration/services/register.py", "registration.status"): "the register's record, cancelled",
    ("gonghui/rights/services/cases.py", "case.stage"): "the caller's case put back when the conditional "
                                                        "update found it changed (nothing was written)",
}


def _writes(source: str, field: str):
    """(line, expression) of every assignment to ``<x>.<field>``, ``setattr(x, "<field>", …)`` and
    ``.update(<field>=…)`` — except a write of the value the machine set (``<field>=<row>.<field>``)."""
    for node in ast.walk(ast.parse(source)):
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        for target in targets:
            for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(t, ast.Attribute) and t.attr == field:
                    yield node.lineno, ast.unparse(t)
        if isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) > 1
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == field):
                yield node.lineno, ast.unparse(node)
            if isinstance(func, ast.Attribute) and func.attr in ("update", "update_or_create", "bulk_update"):
                for kw in node.keywords:
                    if kw.arg == field and not (isinstance(kw.value, ast.Attribute) and kw.value.attr == field):
                        yield node.lineno, ast.unparse(node)


def _service_files(app: str):
    base = ROOT / "gonghui" / app
    yield from sorted((base / "services").rglob("*.py"))
    yield base / "workflow.py"


def test_the_scan_finds_each_kind_of_direct_state_write():
    sample = ("application.status = Status.REJECTED\n"
              "application.status, application.note = 'x', 'y'\n"
              "setattr(application, 'status', 'x')\n"
              "Application.objects.filter(pk=1).update(status='x')\n"
              "Case.objects.filter(pk=1).update(stage=case.stage)\n"  # the machine's value: allowed
              "application.statuses = 1\n")
    assert [line for line, _expr in _writes(sample, "status")] == [1, 2, 3, 4]


def test_no_service_changes_a_workflow_state_outside_its_machine():
    found = []
    for app, field in WATCHED.items():
        for path in _service_files(app):
            relative = path.relative_to(ROOT).as_posix()
            for line, expression in _writes(path.read_text(encoding="utf-8"), field):
                if not any(relative == file and expression.startswith(start) for file, start in NOT_A_WORKFLOW):
                    found.append(f"{relative}:{line}: {expression}")
    assert not found, "state changed outside its machine (use workflow.<MACHINE>.apply):\n" + "\n".join(found)
