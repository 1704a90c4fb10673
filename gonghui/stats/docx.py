"""The work report as a .docx formatted as a 公文 (GB/T 9704-2012), with the standard library only.

A report needs a title, a cover line, headings, paragraphs and tables; writing the few
WordprocessingML parts ourselves avoids a dependency (python-docx). Word, WPS and LibreOffice open
the result. What GB/T 9704 asks that a generated document can give:

- A4 (210 × 297 mm); margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
- 28 lines of 28 characters: lines at 225 mm / 28 (a document grid of 28 lines), characters set
  0.25 pt closer so that 28 fill the 156 mm;
- title in 2号小标宋 (方正小标宋简体, named fallbacks 华文中宋 and 宋体), centred;
- body in 3号仿宋 (16 pt; 仿宋_GB2312, fallback 仿宋), two characters of first-line indent;
- level-1 headings (一、……) in 3号黑体; the cover line (union and period) in 3号楷体;
- page numbers in 4号宋体 as "— 1 —", odd pages on the right and even pages on the left, one
  character in from the edge of the text;
- figures also in tables (小四号仿宋, ruled).
"""

import io
import zipfile
from xml.sax.saxutils import escape

from django.utils import timezone

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>
</Relationships>"""

# Sizes in twips (1/1440 inch) and half-points.
MM = 1440 / 25.4
PAGE_W, PAGE_H = 11906, 16838                         # A4
TOP, BOTTOM, LEFT, RIGHT = (round(mm * MM) for mm in (37, 35, 28, 26))
LINES = CHARS = 28
LINE_PITCH = (PAGE_H - TOP - BOTTOM) // LINES          # 455 twips: 28 lines in the 225 mm of 版心
BODY_PT = 16                                           # 3号
TEXT_W = PAGE_W - LEFT - RIGHT                         # 8845 twips: 156 mm
# 28 characters across 156 mm: each 3号 character (320 twips) is set 5 twips (0.25 pt) closer, the
# character spacing a 公文 template uses.
CHAR_SPACING = -5
# Widths of the table's columns: indicator, this period, a year earlier, change, unit, basis.
COLUMNS = (2885, 1150, 1150, 1100, 760, 1800)

TITLE_FONT, BODY_FONT, HEADING_FONT, COVER_FONT, NUMBER_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
# Fonts a reader's computer may have instead (named in the font table: Word and WPS use them).
FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", HEADING_FONT: "SimHei", COVER_FONT: "楷体", NUMBER_FONT: "SimSun"}


def _fonts(east_asia: str) -> str:
    return f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asia}" w:cs="Times New Roman"/>'


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}
<w:spacing w:val="{CHAR_SPACING}"/><w:sz w:val="{BODY_PT * 2}"/><w:szCs w:val="{BODY_PT * 2}"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>
<w:pPr><w:ind w:firstLineChars="200" w:firstLine="{BODY_PT * 40}"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>
<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:line="{LINE_PITCH * 3 // 2}" w:lineRule="exact"/></w:pPr>
<w:rPr>{_fonts(TITLE_FONT)}<w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Cover"><w:name w:val="Cover"/><w:basedOn w:val="Normal"/>
<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:after="{LINE_PITCH}"/></w:pPr>
<w:rPr>{_fonts(COVER_FONT)}</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>{_fonts(HEADING_FONT)}</w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/>
<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:line="360" w:lineRule="exact"/></w:pPr>
<w:rPr><w:spacing w:val="0"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>
<w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr><w:rPr>{_fonts(NUMBER_FONT)}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
</w:styles>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{_W}"><w:evenAndOddHeaders/><w:defaultTabStop w:val="{BODY_PT * 40}"/>
<w:characterSpacingControl w:val="compressPunctuation"/></w:settings>"""


def _font_table() -> str:
    fonts = "".join(f'<w:font w:name="{escape(name)}"><w:altName w:val="{escape(alt)}"/><w:charset w:val="86"/>'
                    '<w:family w:val="auto"/></w:font>' for name, alt in FALLBACKS.items())
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{_W}">{fonts}</w:fonts>'


def _footer(align: str, indent: str) -> str:
    """"— 1 —" with the PAGE field, on the right (odd pages) or the left (even pages), one character in."""
    def run(text):
        return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{_W}"><w:p><w:pPr>'
            f'<w:pStyle w:val="Footer"/><w:ind w:{indent}="280"/><w:jc w:val="{align}"/></w:pPr>'
            f'{run("— ")}{field}{run(" —")}</w:p></w:ftr>')


def _paragraph(text: str, style: str | None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _table(rows: list[list[str]]) -> str:
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/><w:tblBorders>{borders}'
           '</w:tblBorders><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/>'
           '</w:tblCellMar><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in COLUMNS) + "</w:tblGrid>"]
    for n, row in enumerate(rows):
        header = '<w:trPr><w:tblHeader/></w:trPr>' if n == 0 else ""
        cells = []
        for c, text in enumerate(row):
            bold = "<w:rPr><w:b/></w:rPr>" if n == 0 else ""
            align = '<w:jc w:val="left"/>' if c == 0 and n else ""
            cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{COLUMNS[c % len(COLUMNS)]}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>'
                         f'{align}</w:pPr><w:r>{bold}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>')
        out.append(f"<w:tr>{header}{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    # Word needs a paragraph after a table; an empty line also parts it from the next heading.
    return "".join(out) + "<w:p/>"


def build_docx(blocks, *, title: str, author: str) -> bytes:
    """``blocks``: objects with ``kind`` (title | cover | heading | paragraph | table), ``text``, ``rows``."""
    styles = {"title": "Title", "cover": "Cover", "heading": "Heading1", "paragraph": None}
    body = "".join(_table(b.rows) if b.kind == "table" else _paragraph(b.text, styles[b.kind]) for b in blocks)
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}" xmlns:r="{_R}">'
                f'<w:body>{body}<w:sectPr>'
                '<w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/>'
                f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
                f'<w:pgMar w:top="{TOP}" w:right="{RIGHT}" w:bottom="{BOTTOM}" w:left="{LEFT}" w:header="851"'
                f' w:footer="{round(21 * MM)}" w:gutter="0"/><w:pgNumType w:start="1"/>'
                f'<w:docGrid w:type="lines" w:linePitch="{LINE_PITCH}"/>'
                '</w:sectPr></w:body></w:document>')
    now = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", _STYLES)
        z.writestr("word/settings.xml", _SETTINGS)
        z.writestr("word/fontTable.xml", _font_table())
        z.writestr("word/footer1.xml", _footer("right", "right"))
        z.writestr("word/footer2.xml", _footer("left", "left"))
        z.writestr("docProps/core.xml", core)
    return out.getvalue()


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
