"""The award certificate (荣誉证书): A4 landscape, the Chinese font embedded (the same font setting
as the registration certificates, GONGHUI_CERT_FONT), the winner, the contest, the prize and the
certificate number. Text is fixed Chinese: a certificate has one official language."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError

RED = (200, 22, 29)
TIERS = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}
STAGES = {"enterprise": "企业初赛", "township": "镇街复赛", "county": "县级决赛"}


def _font() -> Path:
    path = Path(settings.GONGHUI_CERT_FONT)
    if not path.is_file():
        raise DomainError("no_font", _("The Chinese font for certificates is missing (%(path)s); install the "
                                       "Debian package fonts-wqy-microhei or set GONGHUI_CERT_FONT.")
                          % {"path": path})
    return path


def render(award) -> bytes:
    from fpdf import FPDF

    entry, contest = award.entry, award.entry.round.contest
    pdf = FPDF(orientation="L", format="A4", unit="mm")
    pdf.set_title(f"荣誉证书 {award.serial}")
    pdf.set_author(contest.node.name)
    pdf.set_creator("gonghui")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(_font()), collection_font_number=0)
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, 271, 184)
    pdf.set_text_color(*RED)
    pdf.set_font("cjk", size=34)
    pdf.set_xy(13, 32)
    pdf.cell(271, 18, "荣 誉 证 书", align="C")
    pdf.set_text_color(30, 30, 30)
    pdf.set_font("cjk", size=18)
    pdf.set_xy(40, 72)
    employer = entry.participation.employer.name
    text = (f"{employer} {entry.name} 同志：\n"
            f"在{contest.year}年“{contest.name}”（{contest.trade}）{STAGES.get(entry.round.stage, '')}中，"
            f"荣获{TIERS[award.tier]}（第{award.rank}名，总成绩{award.total}分）。")
    if award.title:
        text += f"\n授予“{award.title}”称号。"
    text += "\n特发此证，以资鼓励。"
    pdf.multi_cell(217, 12, text)
    pdf.set_font("cjk", size=14)
    pdf.set_xy(160, 160)
    pdf.cell(110, 8, contest.node.name, align="R")
    pdf.set_xy(160, 170)
    pdf.cell(110, 8, f"{award.awarded_at:%Y年%m月%d日}", align="R")
    pdf.set_font("cjk", size=10)
    pdf.set_xy(20, 185)
    pdf.cell(120, 6, f"证书编号：{award.serial}")
    return bytes(pdf.output())
