"""tools/fault_drill.py: the operator's drill parses its arguments (the drill itself is run by hand
before an upgrade: it starts PostgreSQL, Redis and gunicorn of its own, minutes long)."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "fault_drill.py"


def _drill():
    spec = importlib.util.spec_from_file_location("fault_drill", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_check_by_default_and_a_chosen_few():
    drill = _drill()
    assert drill.parse_args([]).checks == ["a", "b", "c", "d", "e", "f"]
    args = drill.parse_args(["--only", "A, c", "--keep", "--workers", "1"])
    assert args.checks == ["a", "c"] and args.keep and args.workers == 1


def test_an_unknown_check_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        _drill().parse_args(["--only", "a,z"])
    assert stopped.value.code == 2 and "unknown check(s) z" in capsys.readouterr().err


def test_every_check_has_its_function():
    drill = _drill()
    assert all(callable(getattr(drill, f"check_{name}")) for name in drill.CHECKS)
