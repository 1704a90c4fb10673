"""The certificate PDF (工会法人资格证书): A4, the Chinese font embedded, the register's data and a
QR code to the public verification page. Signing happens afterwards (signing.sign_pdf).

The font is WenQuanYi Micro Hei from the Debian package fonts-wqy-microhei (no network fetch);
``GONGHUI_CERT_FONT`` points elsewhere if needed.
"""

import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError

DEFAULT_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
RED = (200, 22, 29)


def font_path() -> Path:
    return Path(settings.GONGHUI_CERT_FONT)


def font_available() -> bool:
    return font_path().is_file()


def require_font() -> Path:
    path = font_path()
    if not path.is_file():
        raise DomainError("no_font", _("The Chinese font for certificates is missing (%(path)s); install the "
                                       "Debian package fonts-wqy-microhei or set GONGHUI_CERT_FONT.")
                          % {"path": path})
    return path


def _money(value) -> str:
    return f"{value:,.2f}"


def render(*, registration, serial: str, issued_on, issuer: str, verify_url: str) -> bytes:
    """The unsigned PDF. Text is fixed Chinese (a legal document has one official language)."""
    import segno
    from fpdf import FPDF

    font = require_font()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(f"工会法人资格证书 {serial}")
    pdf.set_author(issuer)
    pdf.set_creator("gonghui")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(font), collection_font_number=0)
    # Double red frame, as on the printed certificate.
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, 184, 271)

    pdf.set_text_color(*RED)
    pdf.set_font("cjk", size=30)
    pdf.set_xy(13, 30)
    pdf.cell(184, 16, "工会法人资格证书", align="C")
    pdf.set_text_color(40, 40, 40)
    pdf.set_font("cjk", size=11)
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
        pdf.set_font("cjk", size=13)
        pdf.set_xy(28, y)
        pdf.cell(46, 11, label, border="B")
        pdf.set_xy(74, y)
        pdf.multi_cell(108, 11, str(value or "—"), border="B", max_line_height=6.5)
        y = max(y + 12, pdf.get_y() + 1)

    pdf.set_font("cjk", size=10)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(28, y + 4)
    pdf.multi_cell(154, 5.5, "经审查，该工会符合《中华人民共和国工会法》和《中华全国总工会关于工会法人资格登记的规定》"
                             "规定的条件，具备法人资格，特发此证。本证书经登记机关数字签名，扫描二维码可核验真伪及当前状态。")

    qr = segno.make(verify_url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    pdf.image(buffer, x=28, y=222, w=42, h=42)
    pdf.set_xy(28, 264)
    pdf.set_font("cjk", size=8)
    pdf.cell(42, 5, "扫码核验", align="C")

    # The seal's place: a red ring with the issuer's name; the real seal is the digital signature.
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.0)
    pdf.circle(x=152, y=236, radius=21)
    pdf.set_text_color(*RED)
    pdf.set_font("cjk", size=9)
    pdf.set_xy(131, 228)
    pdf.multi_cell(42, 5, f"{issuer}\n法人资格登记专用", align="C")
    pdf.set_font("cjk", size=12)
    pdf.set_text_color(40, 40, 40)
    pdf.set_xy(110, 262)
    pdf.cell(84, 8, f"登记机关：{issuer}", align="C")
    pdf.set_xy(110, 270)
    pdf.cell(84, 8, f"{issued_on:%Y年%m月%d日}", align="C")
    return bytes(pdf.output())
