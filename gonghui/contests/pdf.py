"""The award certificate (荣誉证书): A4 landscape, the Chinese font embedded (the same font setting
as the registration certificates, GONGHUI_CERT_FONT), the winner, the contest, the prize and the
certificate number, in the shared certificate frame (``core.pdf``). Text is fixed Chinese: a
certificate has one official language."""

from gonghui.core import pdf as certificate_pdf

TIERS = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}
STAGES = {"enterprise": "企业初赛", "township": "镇街复赛", "county": "县级决赛"}


def render(award) -> bytes:
    entry, contest = award.entry, award.entry.round.contest
    pdf = certificate_pdf.page(title=f"荣誉证书 {award.serial}", author=contest.node.name, landscape=True)
    certificate_pdf.heading(pdf, "荣 誉 证 书", y=32, size=34, height=18)
    pdf.set_text_color(30, 30, 30)
    pdf.set_font(certificate_pdf.FONT, size=18)
    pdf.set_xy(40, 72)
    employer = entry.participation.employer.name
    text = (f"{employer} {entry.name} 同志：\n"
            f"在{contest.year}年“{contest.name}”（{contest.trade}）{STAGES.get(entry.round.stage, '')}中，"
            f"荣获{TIERS[award.tier]}（第{award.rank}名，总成绩{award.total}分）。")
    if award.title:
        text += f"\n授予“{award.title}”称号。"
    text += "\n特发此证，以资鼓励。"
    pdf.multi_cell(217, 12, text)
    pdf.set_font(certificate_pdf.FONT, size=14)
    pdf.set_xy(160, 160)
    pdf.cell(110, 8, contest.node.name, align="R")
    pdf.set_xy(160, 170)
    pdf.cell(110, 8, f"{award.awarded_at:%Y年%m月%d日}", align="R")
    pdf.set_font(certificate_pdf.FONT, size=10)
    pdf.set_xy(20, 185)
    pdf.cell(120, 6, f"证书编号：{award.serial}")
    return certificate_pdf.output(pdf)
