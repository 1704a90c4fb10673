"""The UI is Simplified Chinese by default: the catalogue must be complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

import gonghui

LOCALE = Path(gonghui.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"untranslated or fuzzy: {missing[:20]}"


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    for entry in po:
        if entry.obsolete or not entry.translated():
            continue
        assert (entry.msgctxt, entry.msgid) in compiled, f"not compiled: {entry.msgid!r} (run compilemessages)"
        assert compiled[(entry.msgctxt, entry.msgid)][0] == entry.msgstr, f"stale .mo for {entry.msgid!r}"


@pytest.mark.parametrize("msgid, chinese", [("Employer ledger", "建会台账"), ("Organization tree", "组织网络")])
def test_chinese_by_default_and_english_on_request(db, msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid
    page = Client().get("/accounts/login/")
    assert 'lang="zh-hans"' in page.content.decode()
    english = Client(headers={"accept-language": "en"}).get("/accounts/login/")
    assert 'lang="en"' in english.content.decode()
