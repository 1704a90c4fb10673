"""Refresh the Simplified Chinese catalogue: makemessages, fill from tools/zh_hans*.py, compile.

    python tools/translate.py          # prints the messages that still need a translation
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from zh_hans import ZH  # noqa: E402

# Each module keeps its own table in tools/zh_hans_<module>.py, with a dict named ZH.
for _table in sorted((ROOT / "tools").glob("zh_hans_*.py")):
    ZH = {**ZH, **importlib.import_module(_table.stem).ZH}

PO = ROOT / "gonghui" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def django_catalogue() -> dict:
    """Django's own Simplified Chinese messages, for the ones our code re-uses (e.g. the API's
    field errors): the same wording as Django's forms, not a second translation."""
    import django

    mo = polib.mofile(str(Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo"))
    return {e.msgid: (e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if not e.msgctxt}


def main() -> int:
    manage = [sys.executable, "-m", "gonghui.cli"]
    # The test settings: no data folder, no keys written into the package folder.
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings.test"
    subprocess.run([*manage, "makemessages", "-l", "zh_Hans", "--no-obsolete"],  # noqa: S603 - fixed arguments
                   cwd=ROOT / "gonghui", check=True)
    po = polib.pofile(str(PO))
    known = {**django_catalogue(), **ZH}
    missing = []
    for entry in po:
        if entry.msgctxt and f"{entry.msgctxt}|{entry.msgid}" in ZH:
            entry.msgstr = ZH[f"{entry.msgctxt}|{entry.msgid}"]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif entry.msgid in known and entry.msgid_plural:
            entry.msgstr_plural = {0: known[entry.msgid]}
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif entry.msgid in known:
            entry.msgstr = known[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif (not entry.msgstr and not any(entry.msgstr_plural.values())) or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    subprocess.run([*manage, "compilemessages", "-l", "zh_Hans"], cwd=ROOT / "gonghui", check=True)  # noqa: S603
    for msgid in missing:
        print("untranslated:", repr(msgid))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
