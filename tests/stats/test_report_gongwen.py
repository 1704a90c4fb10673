"""The work report as a 公文: its sections in the order of the areas of work, every figure in words
its indicator declares (a measure word, never an English unit name), periods that say what they are,
and a docx laid out as GB/T 9704 asks (A4, margins, fonts, 28 lines, "— 1 —" page numbers, tables).

The Chinese of the phrases and measure words comes from the catalogue (gonghui/locale/zh_Hans/LC_MESSAGES/
django.po, read through tests/catalogue.py).
"""

import io
import re
import zipfile
from decimal import Decimal

from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core import indicators as registry
from gonghui.core.indicators import MONEY, RATE, parse_period
from gonghui.stats import dashboard as dash
from gonghui.stats import report
from gonghui.stats.docx import build_docx

from ..catalogue import chinese as catalogue_chinese
from .test_views import client_for

MEASURE_WORDS = {"个", "人", "家", "项", "件", "次", "人次", "份", "支", "笔", "小时", "元", "场"}  # 场: lectures, contests
AREA_HEADINGS = ["一、组织建设", "二、会员发展", "三、工会干部队伍", "四、服务阵地", "五、活动与培训", "六、帮扶救助",
                 "七、维权服务", "八、法人资格登记", "九、经费与项目"]


def test_every_indicator_declares_its_measure_word_and_phrase():
    zh = catalogue_chinese()
    for ind in registry.all_indicators():
        assert ind.phrase is not None, f"{ind.key} declares no phrase for the work report"
        with translation.override("en"):
            msgid, unit = str(ind.phrase), str(ind.unit)
        chinese = zh.get(msgid)
        assert chinese and "%(n)s" in chinese and not re.search(r"[A-Za-z]", chinese.replace("%(n)s", "")), \
            f"{ind.key}: no Chinese phrase for {msgid!r}"
        if ind.kind in (RATE, MONEY):
            continue
        word = zh.get(f"measure word|{unit}")
        assert word in MEASURE_WORDS, f"{ind.key}: measure word of {unit!r} is {word!r}"
        assert chinese.endswith(f"%(n)s{word}") or f"%(n)s{word}" in chinese, \
            f"{ind.key}: the phrase {chinese!r} does not put {word} after the figure"


def _board(known, spec, today):
    with scopes_disabled():
        period = parse_period(spec, today=today)
        return dash.build(None, known.a, period, today=today)


def test_the_report_has_the_nine_sections_in_order_and_no_english_units(known, clock):
    clock.move_to("2026-03-02 10:00")
    with scopes_disabled():
        board = _board(known, "2025", clock.today())
        blocks = dash.report_blocks(None, board)
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings == AREA_HEADINGS
    assert blocks[0].kind == "title" and blocks[1].kind == "cover"
    assert blocks[1].text == "青山县总工会（2025年1月1日至12月31日）"
    text = "\n".join(b.text for b in blocks if b.kind != "table")
    # Figures are said with their measure words, not glued to an English unit ("13活动", "199支付").
    assert not re.search(r"[A-Za-z]", text), re.findall(r".{8}[A-Za-z]+.{4}", text)
    assert "新发展会员" in text and "（比上年同期" in text
    # Every section with figures has its table; a section with none says so.
    tables = [b for b in blocks if b.kind == "table"]
    assert tables and all(t.rows[0][:4] == ["指标", "2025年", "上年同期", "增减"] for t in tables)
    sections = "\n".join(b.text for b in blocks)
    assert "本期无相关业务记录。" in sections


def test_a_past_period_says_which_figures_are_of_today(known, clock):
    """Figures without history (the employer ledger) are not printed as of 2025-12-31 but said to be
    those of the day of the report; stocks with history are as of the period's end."""
    clock.move_to("2026-03-02 10:00")
    with scopes_disabled():
        blocks = dash.report_blocks(None, _board(known, "2025", clock.today()))
    text = "\n".join(b.text for b in blocks)
    assert "以下数据系统不保留历史记录，无法还原至2025年12月31日，为报告生成时（2026年3月2日）的数据：" in text
    ledger = next(b.text for b in blocks if "建会台账登记用人单位" in b.text)
    assert ledger.startswith("以下数据系统不保留历史记录") and "截至2025年12月31日" not in ledger
    assert "截至2025年12月31日，各级工会组织5个" in text
    table = next(b for b in blocks if b.kind == "table" and b.rows[1][0] == "工会组织")
    assert [r[5] for r in table.rows if r[0] == "建会率"] == ["报告日数"]
    # The current year: today's figures are the period's end, one sentence.
    with scopes_disabled():
        now = dash.report_blocks(None, _board(known, "2026", clock.today()))
    assert not any("不保留历史" in b.text for b in now)
    assert any("截至2026年3月2日" in b.text for b in now)


def test_money_in_the_report_is_in_ten_thousand_yuan_with_two_decimals():
    from decimal import Decimal

    assert report.round_money(Decimal("223300.00")) == "22.33万元"
    assert report.round_money(Decimal("0")) == "0.00万元"


def test_the_docx_is_laid_out_as_a_gongwen(known, clock):
    clock.move_to("2026-03-02 10:00")
    with scopes_disabled():
        blocks = dash.report_blocks(None, _board(known, "2025", clock.today()))
    content = build_docx(blocks, title=blocks[0].text, author="t")
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        document = z.read("word/document.xml").decode()
        styles = z.read("word/styles.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
        odd, even = z.read("word/footer1.xml").decode(), z.read("word/footer2.xml").decode()
        settings = z.read("word/settings.xml").decode()
    # A4; top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (in twips).
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in document
    assert 'w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"' in document
    # 28 lines: the line pitch of the grid and of the paragraphs is 225 mm / 28.
    assert 'w:linePitch="455"' in document and 'w:line="455" w:lineRule="exact"' in styles
    assert 28 * 455 <= 16838 - 2098 - 1984 < 29 * 455
    # 28 characters: 3号 characters set 0.25 pt closer fill the 156 mm.
    assert '<w:spacing w:val="-5"/><w:sz w:val="32"/>' in styles and (11906 - 1587 - 1474) // (320 - 5) == 28
    # Fonts: body 仿宋 3号, title 小标宋 2号 (fallbacks named), headings 黑体, cover 楷体.
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="方正小标宋简体"' in styles
    assert 'w:eastAsia="黑体"' in styles and 'w:eastAsia="楷体_GB2312"' in styles and '<w:sz w:val="44"/>' in styles
    assert 'w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>' in fonts
    # Page numbers "— 1 —": odd pages right, even pages left.
    for footer, side in ((odd, "right"), (even, "left")):
        assert "— </w:t>" in footer and " PAGE " in footer and " —</w:t>" in footer and f'w:jc w:val="{side}"' in footer
    assert "<w:evenAndOddHeaders/>" in settings
    # Figures in tables too; the headings are Heading 1 (黑体).
    assert document.count("<w:tbl>") == sum(1 for b in blocks if b.kind == "table") > 0
    assert document.count('<w:pStyle w:val="Heading1"/>') == 9


def test_the_report_page_shows_the_cover_and_the_tables(known, clock):
    clock.move_to("2026-03-02 10:00")
    page = client_for(known, "a_admin").get(f"/stats/report/?node={known.a.pk}&period=2025")
    html = page.content.decode()
    assert 'class="report-cover"' in html and 'class="report-table"' in html
    with translation.override("zh-hans"):
        assert "一、组织建设" in html and "九、经费与项目" in html


def test_figures_without_history_come_from_the_snapshot_taken_at_the_period_end(known, clock):
    """The employer ledger keeps no history; the nightly snapshot of 2025-12-31 measured it. A
    report for 2025 written in March shows that day's ledger, as of 2025-12-31 — not March's — and
    later refreshes of that day keep what was measured on it."""
    import datetime

    from gonghui.orgs.models import Node
    from gonghui.stats import services
    from tests.factories import make_employer

    clock.move_to("2026-01-01 01:00")  # the nightly refresh, just after 2025 ended
    with scopes_disabled():
        services.refresh_snapshots(days=[datetime.date(2025, 12, 31)])
    clock.move_to("2026-03-02 10:00")
    with scopes_disabled():
        make_employer(Node.objects.get(pk=known.b.pk), name="城关镇二〇二六年新办企业")  # the ledger grows in 2026
        services.refresh_snapshots()  # recomputes 2025-12-31 among the month ends: its measurements stay
        board = _board(known, "2025", clock.today())
        blocks = dash.report_blocks(None, board)
        today = _board(known, "2026", clock.today())
    assert today.values["orgs.employers"] == 6 and board.values["orgs.employers"] == 5
    assert "orgs.employers" in board.measured and board.values["orgs.unionization_rate"] == Decimal("60.0")
    ledger = next(b.text for b in blocks if "建会台账登记用人单位" in b.text)
    assert ledger.startswith("截至2025年12月31日") and "建会台账登记用人单位5家" in ledger
    table = next(b for b in blocks if b.kind == "table" and b.rows[1][0] == "工会组织")
    assert [r[5] for r in table.rows if r[0] == "建会率"] == ["期末数"]
