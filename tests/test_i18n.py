"""The UI is Simplified Chinese by default: the catalogue must be complete and compiled."""

from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

import gonghui

from .catalogue import chinese

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
# (pgettext / {% translate … context … %}); the Chinese of each context is in the .po file.
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
    zh = chinese()
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
    zh = chinese()
    special = {"title": ("书名", "book"), "year": ("出版年份", "book"), "withdrawn": ("已剔旧", "book copy"),
               "left on": ("退档日期", "hardship"), "registered on": ("建档日期", "hardship"),
               "closed": ("不开放", "opening hours"), "Due on": ("应还日期", "loan")}
    for msgid, (word, context) in special.items():
        assert zh.get(msgid) != word, f"{msgid!r} is {word} everywhere: give that meaning the context {context!r}"
        assert zh.get(f"{context}|{msgid}") == word


def test_words_once_translated_two_ways_now_read_one_way_or_carry_their_context():
    """Found by comparing the per-module tables: one msgid had different Chinese in different
    tables and the later one won on every page. Places that mean the same agree on one term;
    places that do not carry a context."""
    agreed = {"Sign out": "退出登录", "mobile": "手机号码", "Mobile": "手机号码", "Claims": "维权诉求",
              "My claims": "我的维权", "Transfers": "会员转会", "Add": "添加", "objection": "异议",
              "Objection": "异议内容", "The objection period is 1 to 30 working days.": "公示期为 1 至 30 个工作日。",
              "My data and privacy": "我的信息与隐私", "honour|Title": "荣誉称号"}
    by_context = {"Created": "创建时间", "union history|Created": "新建", "Notes": "备注",
                  "four haves|Notes": "情况说明", "Register": "登记", "registration record|Register": "法人登记",
                  "Payment": "发放", "ledger|Payment": "支付", "Submitted": "提交时间", "registration|Submitted": "提交"}
    zh = chinese()
    expected = {**agreed, **by_context}
    assert {k: zh.get(k) for k in expected} == expected


def test_the_translator_tool_lists_untranslated_and_fuzzy_entries(capsys):
    import sys

    import polib

    sys.path.insert(0, str(Path(gonghui.__file__).parent.parent / "tools"))
    try:
        from translate import report
    finally:
        sys.path.pop(0)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Union", msgstr="工会"))
    po.append(polib.POEntry(msgid="Year", msgctxt="period", msgstr=""))
    po.append(polib.POEntry(msgid="Title", msgctxt="book", msgstr="标题", flags=["fuzzy"]))
    assert report(po) == 1
    out = capsys.readouterr().out
    assert "untranslated: 'Year' [context 'period']" in out and "fuzzy: 'Title' [context 'book']" in out
    assert "'Union'" not in out
    po[1].msgstr, po[2].flags = "年度", []
    assert report(po) == 0


def test_a_rate_changes_by_percentage_points_in_chinese():
    """Found on the console home in Chinese: "▲ 3.2 points" — the word sat inside an f-string, where
    makemessages does not see it, so it never reached the catalogue."""
    from decimal import Decimal
    from types import SimpleNamespace

    from gonghui.core.indicators import RATE
    from gonghui.stats.templatetags.stats_tags import change

    figure = SimpleNamespace(change=Decimal("3.2"), change_rate=None, indicator=SimpleNamespace(kind=RATE))
    with translation.override("zh-hans"):
        assert "▲ 3.2个百分点" in change(figure)
    assert chinese()["%(n)s percentage points"] == "%(n)s个百分点"


def test_a_prospects_consent_channel_is_shown_in_words():
    """Found on the prospects page in Chinese: "2026-12-07 · 2026-12 · station" (the stored code)."""
    from gonghui.members.models import Prospect

    with translation.override("zh-hans"):
        assert Prospect(consent_channel="station").consent_channel_label == "服务阵地"
        assert Prospect(consent_channel="course").consent_channel_label == "课程"
    assert chinese()["by a join code"] == "入会二维码"


def test_no_template_puts_a_second_yuan_sign_before_the_yuan_filter():
    """Found on the worker's micro-wish list: "¥¥800.00" — the ``yuan`` filter writes the ¥ itself."""
    import re

    from gonghui.core.templatetags.core_money import yuan

    assert yuan("800") == "¥800.00"
    doubled = sorted(str(path.relative_to(SOURCE)) for path, text in _sources()
                     if path.suffix == ".html" and re.search(r"(¥|￥)\s*\{\{[^}]*\|yuan\s*\}\}", text))
    assert not doubled, f"¥ written before |yuan (which adds its own): {doubled}"


def test_a_commendation_titled_with_its_year_does_not_show_the_year_twice():
    """Found on the worker's volunteer page: "2025 2025年度劳模工匠志愿服务先进表彰"."""
    from types import SimpleNamespace

    from django.template import Context, Template
    from django.template.loader import get_template

    # The row of the honours list, rendered alone (the page needs a signed-in member).
    source = get_template("worker/volunteers/home.html").template.source
    start = source.index("{% for e in record.honours %}")
    row = source[start:source.index("{% endfor %}", start) + len("{% endfor %}")]

    def render(year, title):
        honour = SimpleNamespace(commendation=SimpleNamespace(year=year, title=title, node=SimpleNamespace(name="县总工会")),
                                 citation="")
        return Template("{% load i18n %}" + row).render(Context({"record": SimpleNamespace(honours=[honour])}))

    assert "2025 2025年度" not in render(2025, "2025年度劳模工匠志愿服务先进表彰")
    assert "2025年度劳模工匠志愿服务先进表彰" in render(2025, "2025年度劳模工匠志愿服务先进表彰")
    assert "2025 志愿服务先进表彰" in render(2025, "志愿服务先进表彰")


def test_form_labels_end_with_the_full_width_colon_in_chinese():
    """Found on every console form in Chinese: "年度:" — Django's own Chinese keeps the ASCII colon."""
    from django import forms

    class Form(forms.Form):
        year = forms.IntegerField(label="年度")

    with translation.override("zh-hans"):
        assert "年度：</label>" in str(Form()["year"].label_tag())
    with translation.override("en"):
        assert "年度:</label>" in str(Form()["year"].label_tag())


def test_the_retention_schedule_reads_as_chinese():
    """Found on the worker's privacy notice: "已发放的救助: 结束后保存 30 年" — an ASCII colon outside the
    sentence, and 救助 where union work says 帮扶."""
    from django.template import Context, Template
    from django.template.loader import get_template

    source = get_template("privacy/w/notice.html").template.source
    start = source.index("{% for row in schedule %}")
    row = source[start:source.index("{% endfor %}", start) + len("{% endfor %}")]
    schedule = [{"what": chinese()["Paid assistance"], "years": 30, "why": "会计档案"}]
    with translation.override("zh-hans"):
        html = Template("{% load i18n %}" + row).render(Context({"schedule": schedule}))
    assert "已发放的帮扶款：结束后保存 30 年" in html


def test_every_model_has_a_chinese_name_for_the_audit_log_filter():
    """The audit log's object-type filter lists every model by its verbose name: none may stay English."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("zh-hans"):
        english = [f"{m._meta.app_label}.{m.__name__}: {m._meta.verbose_name}" for m in apps.get_models()
                   if m.__module__.startswith("gonghui") and str(m._meta.verbose_name).isascii()]
    assert not english, english
