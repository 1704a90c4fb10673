"""No write or read nobody calls: every function of a ``services`` or ``selectors`` module is used
somewhere in the code (not only in tests), or it is dead and goes, or it gets a door.

vulture reports an unused function at 60% confidence, below the CI run's 80% (which would bring in
every view, model field and template tag the framework calls); here only the functions of the two
layers where a forgotten one means a promised action with no way to take it.
"""

import pathlib

import pytest

vulture = pytest.importorskip("vulture", reason="vulture is in the test extras (pip install -e '.[test]')")

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Known and waiting for their owners (issue 23, item 7 follow-up): take a name out when it is used or
# removed. A new name here needs a reason.
KNOWN = {
    "nearest_brute_force",  # positions: the oracle the spatial index is checked against in tests
    "update_cadre",  # accounts: editing a cadre's name/phone has no console page yet
    "participant_times",  # activities
    "can_rate",  # activities: the rating form decides by itself
    "withdraw_entry",  # contests: being built now (withdrawing an entry, reopening a judge's sheet)
    "reopen_sheet",
    "correct_identity",  # members: correcting a member's ID number has no console page yet
    "_year_q",  # modelworkers
}


def _layer(path: str) -> bool:
    parts = pathlib.Path(path).parts
    return "services" in parts or pathlib.Path(path).stem in ("services", "selectors")


def test_every_service_and_selector_is_called_from_the_code():
    v = vulture.Vulture()
    v.scavenge([str(ROOT / "gonghui"), str(ROOT / "tools" / "vulture_whitelist.py")], exclude=["*/migrations/*"])
    unused = sorted(f"{pathlib.Path(item.filename).relative_to(ROOT)}:{item.first_lineno} {item.name}"
                    for item in v.get_unused_code(min_confidence=60)
                    if item.typ == "function" and _layer(str(item.filename)) and item.name not in KNOWN)
    assert not unused, "functions of services/selectors nobody calls (remove them or give them a door):\n" + \
        "\n".join(unused)
