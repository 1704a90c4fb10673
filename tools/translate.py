"""The Simplified Chinese catalogue: gonghui/locale/zh_Hans/LC_MESSAGES/django.po is the source of truth.

    python3 tools/translate.py           # refresh the .po from the code, list what needs work, compile
    python3 tools/translate.py --check   # the same report without changing any file (for CI)

Refreshing runs ``makemessages -l zh_Hans --no-obsolete``: new messages of the code are added (empty, or
fuzzy when gettext guesses them from a similar old one), messages no longer in the code are dropped,
every existing translation and translator comment is kept. A new message that Django itself already
translates (a form error our code re-uses) takes Django's wording. Then every untranslated or fuzzy entry
is listed and the exit status is 1; the .mo is compiled either way (fuzzy entries stay English there).
Translators work on the .po with Poedit or Weblate: see docs/translating.md.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "gonghui" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MANAGE = [sys.executable, "-m", "gonghui.cli"]


def django_catalogue() -> dict:
    """Django's own Simplified Chinese messages, for the ones our code re-uses (e.g. the API's
    field errors): the same wording as Django's forms, not a second translation."""
    import django

    mo = polib.mofile(str(Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo"))
    return {e.msgid: (e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if not e.msgctxt}


def _needs_work(entry: polib.POEntry) -> bool:
    return "fuzzy" in entry.flags or not entry.translated()


def _fill_from_django(po: polib.POFile, django: dict) -> None:
    for entry in po:
        if entry.msgctxt or not _needs_work(entry) or not django.get(entry.msgid):
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: django[entry.msgid]}
        else:
            entry.msgstr = django[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None


def refresh() -> polib.POFile:
    """makemessages over the code, Django's wording for re-used messages, the header; saved."""
    # The test settings: no data folder, no keys written into the package folder.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings.test"}
    subprocess.run([*MANAGE, "makemessages", "-l", "zh_Hans", "--no-obsolete"],  # noqa: S603 - fixed arguments
                   cwd=ROOT / "gonghui", env=env, check=True, stdout=subprocess.DEVNULL)
    po = polib.pofile(str(PO))
    _fill_from_django(po, django_catalogue())
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    return po


def compile_mo() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gonghui.settings.test"}
    subprocess.run([*MANAGE, "compilemessages", "-l", "zh_Hans"],  # noqa: S603 - fixed arguments
                   cwd=ROOT / "gonghui", env=env, check=True, stdout=subprocess.DEVNULL)


def report(po: polib.POFile, before: polib.POFile | None = None) -> int:
    """Print what needs a translator (and, for --check, how the committed .po differs from the code);
    1 if anything does."""
    def name(context, msgid):
        return repr(msgid) + (f" [context {context!r}]" if context else "")

    now = {(e.msgctxt, e.msgid) for e in po}
    kept = now if before is None else {(e.msgctxt, e.msgid) for e in before if not e.obsolete}
    problems = 0
    for entry in po:
        if (entry.msgctxt, entry.msgid) not in kept:
            kind = "new in the code, not in the committed .po (run tools/translate.py)"
        elif "fuzzy" in entry.flags:
            kind = "fuzzy"
        elif not entry.translated():
            kind = "untranslated"
        else:
            continue
        problems += 1
        where = entry.occurrences[0][0] if entry.occurrences else "?"
        print(f"{kind}: {name(entry.msgctxt, entry.msgid)} ({where})")
    for context, msgid in sorted(kept - now, key=str):
        problems += 1
        print(f"no longer in the code, still in the committed .po (run tools/translate.py): {name(context, msgid)}")
    print(f"{len(po)} messages, {problems} need work")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report only; leave the .po and .mo as they are")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as keep:
            saved = Path(keep) / "django.po"
            shutil.copy2(PO, saved)
            try:
                po = refresh()
            finally:
                shutil.copy2(saved, PO)
            return report(po, before=polib.pofile(str(saved)))
    po = refresh()
    compile_mo()
    return report(po)


if __name__ == "__main__":
    sys.exit(main())
