"""The per-module Python tables (tools/zh_hans*.py) while they still exist: one Chinese per message.

translate.py merges the tables in file order, so when two tables give one msgid (with its context)
two different translations, the later table wins silently and the other module's pages show a word
nobody chose. Either the places mean the same thing (agree on one term) or they do not (give each a
context). Once the .po file is the source of truth and the tables are deleted, delete this file too:
a .po holds one msgstr per msgid and context.
"""

import importlib
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent / "tools"
TABLES = sorted(TOOLS.glob("zh_hans*.py"))


def _tables() -> dict[str, dict[str, str]]:
    sys.path.insert(0, str(TOOLS))
    try:
        return {table.stem: importlib.import_module(table.stem).ZH for table in TABLES}
    finally:
        sys.path.remove(str(TOOLS))


@pytest.mark.skipif(not TABLES, reason="the tables are retired; the .po file has one msgstr per msgid and context")
def test_no_message_has_two_translations_in_different_tables():
    found: dict[str, dict[str, list[str]]] = {}
    for name, zh in _tables().items():
        for key, chinese in zh.items():
            found.setdefault(key, {}).setdefault(chinese, []).append(name)
    conflicts = {key: by_word for key, by_word in found.items() if len(by_word) > 1}
    assert not conflicts, "one msgid, several translations (the later table wins silently): agree on one " \
                          "term or give the places contexts:\n" + \
                          "\n".join(f"{key!r}: {by_word}" for key, by_word in sorted(conflicts.items()))
