"""The certificate PDF (工会法人资格证书): the register's data and a QR code to the public
verification page, in the shared certificate frame (``core.pdf``: A4, the Chinese font embedded).
Signing happens afterwards (signing.sign_pdf).
"""

from gonghui.core import pdf as certificate_pdf
from gonghui.core.pdf import font_available, font_path, require_font

__all__ = ["font_available", "font_path", "render", "require_font"]


def _money(value) -> str:
    return f"{value:,.2f}"


def render(*, registration, serial: str, issued_on, issuer: str, verify_url: str) -> bytes:
    """The unsigned PDF. Text is fixed Chinese (a legal document has one official language)."""
    pdf = certificate_pdf.page(title=f"工会法人资格证书 {serial}", author=issuer)
    certificate_pdf.heading(pdf, "工会法人资格证书", y=30, size=30)
    pdf.set_text_color(*certificate_pdf.INK)
    pdf.set_font(certificate_pdf.FONT, size=11)
    pdf.set_xy(13, 48)
    pdf.cell(184, 8, f"证书编号：{serial}", align="C")

    r = registration
    rows = [
        ("工会名称", r.name),
        ("统一社会信用代码", r.credit_code),
        ("法定代表人", r.legal_rep_name),
        ("住所", r.address),
        ("经费来源", r.funding_source),
        ("固定资金（元）", _money(r.fixed_funds)),
        ("活动资金（元）", _money(r.working_funds)),
        ("活动场所（平方米）", f"{r.premises_m2:,.2f}"),
        ("成立日期", f"{r.founded_on:%Y年%m月%d日}" if r.founded_on else ""),
        ("有效期", f"{r.valid_from:%Y年%m月%d日} 至 {r.valid_until:%Y年%m月%d日}"),
    ]
    y = 66
    for label, value in rows:
        pdf.set_font(certificate_pdf.FONT, size=13)
        pdf.set_xy(28, y)
        pdf.cell(46, 11, label, border="B")
        pdf.set_xy(74, y)
        pdf.multi_cell(108, 11, str(value or "—"), border="B", max_line_height=6.5)
        y = max(y + 12, pdf.get_y() + 1)

    pdf.set_font(certificate_pdf.FONT, size=10)
    pdf.set_text_color(*certificate_pdf.GREY)
    pdf.set_xy(28, y + 4)
    pdf.multi_cell(154, 5.5, "经审查，该工会符合《中华人民共和国工会法》和《中华全国总工会关于工会法人资格登记的规定》"
                             "规定的条件，具备法人资格，特发此证。本证书经登记机关数字签名，扫描二维码可核验真伪及当前状态。")

    certificate_pdf.qr_code(pdf, verify_url)
    # The seal's place: a red ring with the issuer's name; the real seal is the digital signature.
    certificate_pdf.seal(pdf, f"{issuer}\n法人资格登记专用", text_y=228)
    pdf.set_font(certificate_pdf.FONT, size=12)
    pdf.set_text_color(*certificate_pdf.INK)
    pdf.set_xy(110, 262)
    pdf.cell(84, 8, f"登记机关：{issuer}", align="C")
    pdf.set_xy(110, 270)
    pdf.cell(84, 8, f"{issued_on:%Y年%m月%d日}", align="C")
    return certificate_pdf.output(pdf)
