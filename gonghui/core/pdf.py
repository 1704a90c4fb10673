"""The frame every certificate shares (结业证书, 工会法人资格证书, 荣誉证书): an A4 page with the
Chinese font embedded, the double red border, the red title, the QR code with "扫码核验" and the
seal's red ring. Each certificate module draws its own text inside it; text is fixed Chinese (a
certificate has one official language).

The font is WenQuanYi Micro Hei from the Debian package fonts-wqy-microhei (no network fetch);
``GONGHUI_CERT_FONT`` points elsewhere if needed.
"""

import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import DomainError

RED = (200, 22, 29)
INK = (40, 40, 40)
GREY = (90, 90, 90)
FONT = "cjk"


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


def page(*, title: str, author: str, landscape: bool = False):
    """A new A4 document (``fpdf.FPDF``, millimetres) with one page, the font ``cjk`` and the double
    red border; ``title``/``author`` are the file's metadata."""
    from fpdf import FPDF

    font = require_font()
    pdf = FPDF(orientation="L" if landscape else "P", format="A4", unit="mm")
    pdf.set_title(title)
    pdf.set_author(author)
    pdf.set_creator("gonghui")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font(FONT, fname=str(font), collection_font_number=0)
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.4)
    pdf.rect(13, 13, width - 26, height - 26)
    return pdf


def heading(pdf, text: str, *, y: float, size: int, height: float = 16) -> None:
    """The certificate's name in large red type, centred inside the border."""
    pdf.set_text_color(*RED)
    pdf.set_font(FONT, size=size)
    pdf.set_xy(13, y)
    pdf.cell(pdf.w - 26, height, text, align="C")


def qr_code(pdf, url: str, *, x: float = 28, y: float = 222, size: float = 42) -> None:
    """The QR code to the public verification page, "扫码核验" under it."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    pdf.image(buffer, x=x, y=y, w=size, h=size)
    pdf.set_xy(x, y + size)
    pdf.set_font(FONT, size=8)
    pdf.cell(size, 5, "扫码核验", align="C")


def seal(pdf, text: str, *, text_y: float, x: float = 152, y: float = 236, radius: float = 21) -> None:
    """The seal's place: a red ring with ``text`` (lines) inside; the real seal is the signature or
    the union's stamp on paper."""
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.0)
    pdf.circle(x=x, y=y, radius=radius)
    pdf.set_text_color(*RED)
    pdf.set_font(FONT, size=9)
    pdf.set_xy(x - radius, text_y)
    pdf.multi_cell(2 * radius, 5, text, align="C")


def output(pdf) -> bytes:
    return bytes(pdf.output())
