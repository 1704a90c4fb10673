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


# --- homonyms -------------------------------------------------------------------------------------
# English words that mean different things on different pages. Each use carries a context
# (pgettext / {% translate … context … %}); the Chinese of each context is in tools/zh_hans_*.py.
HOMONYMS = {"Year", "Title", "Terms", "Move", "Household", "Comment", "Issued", "Name", "Education", "Finance",
            "payments"}
SOURCE = Path(gonghui.__file__).parent


def _sources():
    for path in sorted(SOURCE.rglob("*")):
        if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts and path.is_file():
            yield path, path.read_text(encoding="utf-8")


def _uses():
    """(file, context or None, msgid) for every translated use of a homonym in code and templates."""
    import re

    words = "|".join(sorted(HOMONYMS))
    plain = re.compile(rf"""(?<![\w.])(?:_|gettext|gettext_lazy|gettext_noop|ngettext|ngettext_lazy)\(\s*["']({words})["']""")
    context = re.compile(rf"""pgettext(?:_lazy)?\(\s*["']([^"']+)["']\s*,\s*["']({words})["']""")
    tag = re.compile(rf"""\{{%\s*(?:translate|trans)\s+["']({words})["'](\s+context\s+["']([^"']+)["'])?""")
    for path, text in _sources():
        for m in plain.finditer(text):
            yield path, None, m.group(1)
        for m in context.finditer(text):
            yield path, m.group(1), m.group(2)
        for m in tag.finditer(text):
            yield path, m.group(3), m.group(1)


def test_homonyms_are_used_with_a_context_everywhere():
    bare = sorted({f"{path.relative_to(SOURCE)}: {msgid!r}" for path, ctx, msgid in _uses() if ctx is None})
    assert not bare, "a word of several meanings is translated without a context (use pgettext / " \
                     f"{{% translate … context … %}}): {bare}"


def test_every_context_of_a_homonym_has_its_chinese():
    import importlib
    import sys

    tools = Path(gonghui.__file__).parent.parent / "tools"
    sys.path.insert(0, str(tools))
    try:
        zh = {}
        for table in sorted(tools.glob("zh_hans*.py")):
            zh.update(importlib.import_module(table.stem).ZH)
    finally:
        sys.path.remove(str(tools))
    used = {(ctx, msgid) for _path, ctx, msgid in _uses() if ctx}
    missing = sorted(f"{ctx}|{msgid}" for ctx, msgid in used if not zh.get(f"{ctx}|{msgid}"))
    assert not missing, f"no Chinese for {missing}"
    # The meanings the cadres found wrong, each with its own word.
    expected = {"person|Name": "姓名", "schooling|Education": "文化程度", "sector|Finance": "金融业",
                "period|Year": "年度", "book|Year": "出版年份", "book|Title": "书名", "agreement|Terms": "协议内容",
                "waiting list|Move": "调整顺位", "family|Household": "家庭成员", "certificate|Issued": "发证日期",
                "measure word|payments": "笔"}
    assert {k: zh.get(k) for k in expected} == expected


def test_special_meanings_do_not_become_the_plain_word():
    """A field name with a special meaning on one page (a book's title, a hardship file's "left on")
    carries a context there; the plain word keeps the common meaning everywhere else."""
    import importlib
    import sys

    tools = Path(gonghui.__file__).parent.parent / "tools"
    sys.path.insert(0, str(tools))
    try:
        zh = {}
        for table in sorted(tools.glob("zh_hans*.py")):
            zh.update(importlib.import_module(table.stem).ZH)
    finally:
        sys.path.remove(str(tools))
    special = {"title": ("书名", "book"), "year": ("出版年份", "book"), "withdrawn": ("已剔旧", "book copy"),
               "left on": ("退档日期", "hardship"), "registered on": ("建档日期", "hardship"),
               "closed": ("不开放", "opening hours"), "Due on": ("应还日期", "loan")}
    for msgid, (word, context) in special.items():
        assert zh.get(msgid) != word, f"{msgid!r} is {word} everywhere: give that meaning the context {context!r}"
        assert zh.get(f"{context}|{msgid}") == word
