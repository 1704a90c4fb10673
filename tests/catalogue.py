"""The Simplified Chinese catalogue as tests read it: gonghui/locale/zh_Hans/LC_MESSAGES/django.po.

The .po file is the source of truth translators edit (docs/translating.md); a test that needs the
Chinese of a message asks here, keyed as translators see it: ``msgid`` or ``"context|msgid"``.
Fuzzy entries count as untranslated (gettext does not use them).
"""

from functools import cache
from pathlib import Path

import polib

import gonghui

PO = Path(gonghui.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


@cache
def chinese() -> dict[str, str]:
    table = {}
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
            continue
        key = f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid
        table[key] = entry.msgstr or entry.msgstr_plural.get(0, "")
    return table
