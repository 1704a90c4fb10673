"""Generate the sample rosters and hostile files of tests/data (run: python3 tests/data/make_samples.py).

The files are committed; this script is how they were made. The rosters look like the 花名册 that
unions actually keep: a merged title row, a filler row (填报单位 / 填报日期), the header, a 序号
column, merged 工作单位 cells, blank lines, 合计 and 填表人 rows below — and the usual typing:
full-width digits, lowercase x, stray spaces, Excel date serials and text dates. The expected
counts are asserted in tests/members/test_import.py.
"""

import datetime
import io
import struct
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def rid(birth: str, seq: int, area: str = "330521") -> str:
    """A valid resident ID number (GB 11643 check digit)."""
    first17 = f"{area}{birth}{seq:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def rid_with_x(birth: str, area: str = "330521", female: bool = False) -> str:
    for seq in range(1000):
        if seq % 2 == (0 if female else 1):
            number = rid(birth, seq, area)
            if number.endswith("X"):
                return number
    raise AssertionError("no X check digit found")


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def _save(wb: Workbook, name: str) -> None:
    wb.properties.creator = "gonghui tests"
    wb.properties.created = wb.properties.modified = datetime.datetime(2024, 3, 1, 9, 0)
    wb.save(HERE / name)


HEADER_ENTERPRISE = ["序号", "姓名", "性别", "民族", "身份证号码", "出生日期", "文化程度", "政治面貌", "户籍", "用工形式",
                     "手机号码", "入会时间", "会员类型", "工作单位"]

# The 24 members of 青山精密机械有限公司 (enterprise union C). Birth dates and sequence numbers
# make valid IDs; sequence parity gives the gender.
ENTERPRISE = [
    # name, birth, seq, ethnicity, education, political, household, employment, phone, joined
    ("张伟", "19850312", 11, "汉族", "本科", "中共党员", "非农业", "劳动合同", "13857101001", "2015-03-01"),
    ("王芳", "19900708", 22, "汉族", "大专", "群众", "农业", "劳动合同", "13857101002", "2016-05-01"),
    ("李娜", "19921120", 42, "汉", "高中", "共青团员", "农村", "劳务派遣", "13857101003", "2018-07-15"),
    ("刘洋", "19880101", 13, "回族", "中专", "群众", "农业", "劳动合同", "13857101004", "2014-01-01"),
    ("陈静", "19950505", 64, "汉族", "本科", "预备党员", "城镇", "劳动合同", "13857101005", "2019-09-01"),
    ("杨磊", "19870923", 15, "汉族", "初中", "群众", "农业", "劳务派遣", "13857101006", "2013-06-01"),
    ("赵敏", "19930214", 26, "满族", "硕士", "中共党员", "非农业", "劳动合同", "13857101007", "2020-01-01"),
    ("黄强", "19790630", 17, "汉族", "初中", "群众", "农业", "灵活就业", "13857101008", "2012-03-01"),
    ("周杰", "19970818", 19, "汉族", "大专", "共青团员", "农业", "劳动合同", "13857101009", "2021-04-01"),
    ("吴丽", "19911111", 28, "畲族", "本科", "群众", "城镇", "劳动合同", "13857101010", "2017-11-01"),
    ("徐明", "19840404", 31, "汉族", "高中", "群众", "农业", "劳动合同", "13857101011", "2011-08-01"),
    ("孙婷", "19960202", 44, "汉族", "大专", "共青团员", "农业", "劳务派遣", "13857101012", "2022-02-01"),
    ("马超", "19890909", 33, "回族", "本科", "中共党员", "非农业", "劳动合同", "13857101013", "2015-10-01"),
    ("朱红", "19821212", 46, "汉族", "初中", "群众", "农业", "劳动合同", "13857101014", "2010-05-01"),
    ("胡军", "19940707", 35, "汉族", "中专", "群众", "农业", "劳动合同", "13857101015", "2019-03-01"),
    ("郭燕", "19980315", 48, "汉族", "本科", "共青团员", "城镇", "劳动合同", "13857101016", "2022-08-01"),
    ("何斌", "19860606", 37, "汉族", "大专", "群众", "农业", "劳动合同", "13857101017", "2016-12-01"),
    ("高洁", "19921010", 50, "汉族", "本科", "中共党员", "非农业", "劳动合同", "13857101018", "2018-01-01"),
    ("林峰", "19900101", 39, "汉族", "高中", "群众", "农业", "劳务派遣", "13857101019", "2020-06-01"),
    ("罗霞", "19950909", 52, "土家族", "大专", "群众", "农业", "劳动合同", "13857101020", "2021-09-01"),
    ("梁宇", "19830808", 53, "汉族", "本科", "群众", "城镇", "劳动合同", "13857101021", "2013-04-01"),
    ("宋佳", "19970404", 54, "汉族", "大专", "共青团员", "农业", "劳动合同", "13857101022", "2023-05-01"),
    ("郑浩", "19910606", 55, "汉族", "中专", "群众", "农业", "劳动合同", "13857101023", "2023-05-01"),
    ("谢娟", "19880808", 56, "汉族", "本科", "群众", "非农业", "劳动合同", "13857101024", "2023-05-01"),
]
ENTERPRISE_NAME = "青山精密机械有限公司"


X_INDEX = 20  # 梁宇's ID ends in X, typed in lowercase


def enterprise_ids() -> list[str]:
    ids = [rid(birth, seq) for _n, birth, seq, *_rest in ENTERPRISE]
    ids[X_INDEX] = rid_with_x(ENTERPRISE[X_INDEX][1])
    return ids


def make_enterprise() -> None:
    """roster_enterprise.xlsx: 24 good rows, every formatting habit of a real roster. Expect 24 new."""
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws["A1"] = f"{ENTERPRISE_NAME}工会会员花名册"
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:N1")
    ws["A2"] = f"填报单位：{ENTERPRISE_NAME}工会（盖章）"
    ws.merge_cells("A2:G2")
    ws["H2"] = "填报日期：2024年3月1日"
    ws.merge_cells("H2:N2")
    ws.append(HEADER_ENTERPRISE)
    row = 4
    for i, (name, birth, seq, eth, edu, pol, hh, emp, phone, joined) in enumerate(ENTERPRISE):
        number = rid(birth, seq)
        birth_cell = datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
        joined_date = datetime.date.fromisoformat(joined)
        joined_cell = joined_date  # a real date cell
        if i == 1:
            name = " 王  芳 "  # padded to line up with three-character names
            number = number[:6] + " " + number[6:14] + " " + number[14:]
        if i == 2:
            number = full_width(number)
            phone = full_width(phone)
        if i == 3:
            phone = "138 5710 1004"
            joined_cell = (joined_date - datetime.date(1899, 12, 30)).days  # a bare Excel serial
        if i == 4:
            joined_cell = f"{joined_date.year}.{joined_date.month}.{joined_date.day}"
        if i == 5:
            joined_cell = f"{joined_date.year}年{joined_date.month}月{joined_date.day}日"
        if i == 6:
            joined_cell = joined_date.strftime("%Y/%m/%d")
        if i == 7:
            birth_cell = f"{birth[:4]}.{birth[4:6]}"  # 出生年月: a month
        if i == 8:
            phone = "+86 138-5710-1009"
        if i == 12:
            row += 1  # a blank line in the middle
        employer = ENTERPRISE_NAME if i < 8 else (None if i < 15 else f"{ENTERPRISE_NAME}二车间")
        values = [i + 1, name, "男" if seq % 2 else "女", eth, number, birth_cell, edu, pol, hh, emp, phone,
                  joined_cell, "正式会员" if i < 22 else "预备会员", employer]
        for col, value in enumerate(values, 1):
            ws.cell(row=row, column=col, value=value)
        ws.cell(row=row, column=5).number_format = "@"
        row += 1
    # The employer merged down a column of colleagues (rows of people 9 to 15, with the blank line).
    ws.cell(row=12, column=14, value=f"{ENTERPRISE_NAME}一车间")
    ws.merge_cells(start_row=12, start_column=14, end_row=19, end_column=14)
    ws.cell(row=4 + X_INDEX + 1, column=5, value=enterprise_ids()[X_INDEX].lower())
    for extra in range(3):  # pre-numbered empty lines, as templates have
        ws.cell(row=row + extra, column=1, value=len(ENTERPRISE) + extra + 1)
    row += 4
    ws.cell(row=row, column=1, value="合计")
    ws.cell(row=row, column=2, value=f"{len(ENTERPRISE)}人")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    ws.cell(row=row + 2, column=1, value="填表人：李华　　审核人：张明　　联系电话：0571-88886666")
    ws.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=14)
    _save(wb, "roster_enterprise.xlsx")


FORMULA = '=HYPERLINK("http://example.com","13900001111")'
HEADER_DEFECTS = ["序号", "姓名", "公民身份号码", "性别", "民族", "联系电话", "学历", "政治面貌", "户口性质", "就业形式",
                  "新就业形态类型", "所在单位", "入会日期"]


def defect_rows() -> list[tuple[str, list]]:
    """(what is wrong, the row). The good rows come first; the expectations are in the test."""
    good = lambda name, number, gender, **kw: [name, number, gender, kw.get("eth", "汉族"),  # noqa: E731
                                               kw.get("phone", "13900001111"), kw.get("edu", "高中"),
                                               kw.get("pol", "群众"), kw.get("hh", "农业"),
                                               kw.get("emp", "新就业形态"), kw.get("nf", "快递员"),
                                               kw.get("unit", "城关镇顺达快递网点"), kw.get("joined", "2023.5.1")]
    return [
        ("good", good("钱进", rid("19900315", 101), "男")),
        ("good", good("冯雪", rid("19920416", 102), "女", nf="外卖骑手", joined="2023/05/01")),
        ("good", good("蒋涛", rid("19850517", 103), "男", nf="货车司机", joined=45047)),
        ("good", good("韩梅", rid("19930618", 104), "女", emp="劳动合同", nf="", hh="城镇")),
        ("good", good("沈冰", rid("19880719", 105), "男", emp="外卖骑手", nf="")),  # 就业形式 names the work
        ("good", good("曹阳", rid("19910820", 107), "男", joined="2023年5月1日")),
        ("bad checksum", good("彭程", rid("19870921", 109)[:17] + "0", "男")),
        ("ID stored as a number", good("吕鹏", float(rid("19860101", 111)[:17] + "1"), "男")),
        ("ID too short", good("苏杭", "33052119900101", "男")),
        ("impossible date", good("卢伟", rid("19890202", 113), "男", joined="2023.2.30")),
        ("join date in the future", good("蔡琳", rid("19900303", 114), "女", joined="2099-01-01")),
        ("under 16 when joining", good("丁一", rid("20120101", 115), "男", joined="2024-01-01")),
        ("gender does not match the ID", good("魏巍", rid("19910404", 117), "女")),
        ("unknown education", good("薛岩", rid("19920505", 119), "男", edu="幼儿园")),
        ("bad phone", good("叶帆", rid("19930606", 121), "男", phone="1381234567")),
        ("markup in the name", good("<b>阎军</b>", rid("19940707", 123), "男")),
        ("empty name", good("", rid("19950808", 125), "男")),
        ("new employment form without its type", good("余浩", rid("19960909", 127), "男", nf="")),
        ("unknown ethnicity", good("潘婷", rid("19970110", 128), "女", eth="火星族")),
        ("duplicate of 钱进", good("钱进", rid("19900315", 101), "男", phone="13900002222")),
        ("three defects in one row", good("杜康", rid("19800111", 129), "男", phone="12345", pol="火星党",
                                           joined="2099.1.1")),
        ("unknown household", good("戴军", rid("19810212", 131), "男", hh="外籍")),
        ("digits in the name", good("任2", rid("19820313", 133), "男")),
        ("formula in the phone", good("邹平", rid("19830414", 135), "男", phone=FORMULA)),
    ]


def make_defects() -> None:
    """roster_defects.xlsx: every defect alone, and three in one row, among six good rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(["城关镇快递物流行业工会会员花名册"])
    ws.merge_cells("A1:M1")
    ws.append(["填报单位：城关镇快递物流行业工会", None, None, None, None, None, None, None, None, "填报日期：2024.3.1"])
    ws.append([])
    ws.append(HEADER_DEFECTS)
    for i, (_what, row) in enumerate(defect_rows(), 1):
        ws.append([i, *row])
        for cell in ws[ws.max_row]:
            if cell.value == FORMULA:
                cell.data_type = "s"  # typed text, as a clerk pasting it would store it
    ws.append(["合计", f"{len(defect_rows())}人"])
    ws.append(["填表人：周敏", None, None, None, "审核人：吴刚"])
    _save(wb, "roster_defects.xlsx")


HEADER_GBK = ["序号", "姓名", "身份证号", "性别", "民族", "手机号", "文化程度", "政治面貌", "户籍", "用工形式", "工作单位",
              "入会时间", "会员类型"]
RIDERS = [
    ("黄海", "19900110", 201, "外卖骑手", "城南美团站点"), ("林涛", "19910211", 203, "外卖骑手", "城南美团站点"),
    ("郑凯", "19920312", 205, "快递员", "河口中通网点"), ("何磊", "19930413", 207, "快递员", "河口中通网点"),
    ("许晴", "19940514", 208, "网约车司机", "滴滴出行"), ("邓飞", "19850615", 209, "货车司机", "货拉拉"),
    ("曾勇", "19860716", 211, "网约车司机", "滴滴出行"), ("彭丽", "19870817", 212, "家政服务员", "河口家政"),
    ("萧然", "19880918", 213, "代驾", "e代驾"), ("田甜", "19891019", 214, "网络主播", "河口电商园"),
]


def rider_ids() -> list[str]:
    return [rid(birth, seq, area="330522") for _n, birth, seq, *_rest in RIDERS]


def make_gbk_csv() -> None:
    """roster_gbk.csv: GBK as Excel in China saves CSV; 10 new-employment-form workers."""
    lines = ["河口镇新就业形态工会联合会会员花名册,,,,,,,,,,,,",
             "填报单位：河口镇总工会,,,,,,,,,填报日期：2024年3月1日,,,", ",".join(HEADER_GBK)]
    for i, (name, birth, seq, work, unit) in enumerate(RIDERS, 1):
        joined = ["2023/05/01", "45047", "2023.5.1", "2023年5月1日", "2023-05-01"][i % 5]
        number = rid(birth, seq, area="330522")
        lines.append(",".join([str(i), name, number, "男" if seq % 2 else "女", "汉族", f"1370000{i:04d}", "高中",
                               "群众", "农村", work, unit, joined, "会员"]))
    lines += [",,,,,,,,,,,,", f"合计：{len(RIDERS)}人,,,,,,,,,,,,", "填表人：王强,,,,,,,,,,,,"]
    (HERE / "roster_gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def make_update_csv() -> None:
    """roster_update_utf8_bom.csv, into 城关镇 (B) after roster_enterprise.xlsx went into C:
    5 members changed (phone, education), 3 unchanged, 2 new, 1 active at 河口镇 (D) → an error."""
    header = ["序号", "姓名", "身份证号码", "手机", "学历", "入会时间"]
    ids = enterprise_ids()
    rows = []
    for i in range(5):  # changed
        name, _b, _s, _e, edu, *_r, phone, joined = ENTERPRISE[i]
        rows.append([ENTERPRISE[i][0], ids[i], f"1865710{i:04d}", "本科" if edu != "本科" else "硕士", joined])
    for i in range(5, 8):  # as they are
        name, _b, _s, _e, edu, _p, _h, _m, phone, joined = ENTERPRISE[i]
        rows.append([name, ids[i], phone, edu, joined])
    rows.append(["严华", rid("19900520", 301), "18657100301", "大专", "2024-02-01"])
    rows.append(["华松", rid("19910621", 303), "18657100302", "本科", "2024-02-01"])
    rows.append([RIDERS[0][0], rider_ids()[0], "18657100303", "高中", "2024-02-01"])
    lines = ["城关镇总工会会员信息更新表", ",".join(header)]
    lines += [",".join([str(i), *row]) for i, row in enumerate(rows, 1)]
    lines.append("合计,11人")
    (HERE / "roster_update_utf8_bom.csv").write_bytes(b"\xef\xbb\xbf" + ("\n".join(lines) + "\n").encode("utf-8"))


# --- hostile files ------------------------------------------------------------------------------

def _small_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号"])
    ws.append(["张三", rid("19900101", 1)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(source: bytes, replace: dict[str, bytes], *, stream: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = [item.filename for item in zin.infolist()]
        for name in names + [n for n in replace if n not in names]:
            if stream and name in stream:
                with zout.open(name, "w", force_zip64=True) as f:
                    for chunk in stream[name]():
                        f.write(chunk)
            else:
                zout.writestr(name, replace[name] if name in replace else zin.read(name))
    return out.getvalue()


def _with_shared_strings(base: bytes, shared: bytes) -> bytes:
    """The workbook with its sheet reading three shared strings from ``shared``."""
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    types = types.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    rels = rels.replace("</Relationships>", '<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                                            'officeDocument/2006/relationships/sharedStrings" '
                                            'Target="sharedStrings.xml"/></Relationships>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>0</v></c></row>'
             '</sheetData></worksheet>')
    return _rewrite(base, {"[Content_Types].xml": types.encode(), "xl/_rels/workbook.xml.rels": rels.encode(),
                           "xl/worksheets/sheet1.xml": sheet.encode(), "xl/sharedStrings.xml": shared})


BILLION_LAUGHS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE sst [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>&lol9;</t></si><si><t>姓名</t></si><si><t>身份证号</t></si></sst>""".encode()


def make_hostile() -> None:
    (HERE / "fake_html.xlsx").write_bytes(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>花名册</title></head><body><table>"
        "<tr><td>姓名</td><td>身份证号</td></tr><tr><td>张三</td><td>330521199001010014</td></tr></table>"
        "</body></html>\n".encode())
    (HERE / "fake_exe.xlsx").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
                                         + b"\x00" * 44 + b"\x80\x00\x00\x00" + b"This program cannot be run in DOS "
                                         b"mode.\r\r\n$" + b"\x00" * 200)
    (HERE / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    base = _small_workbook()
    (HERE / "billion_laughs.xlsx").write_bytes(_with_shared_strings(base, BILLION_LAUGHS))

    def zeros():
        block = b"<c/>" * (MB // 4)
        for _ in range(400):
            yield block

    bomb = _rewrite(base, {}, stream={"xl/worksheets/sheet1.xml": zeros})
    (HERE / "zip_bomb.xlsx").write_bytes(bomb)
    (HERE / "zip_bomb_lying.xlsx").write_bytes(_lie_about_size(bomb, "xl/worksheets/sheet1.xml", 4096))
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    (HERE / "word_document.xlsx").write_bytes(docx.getvalue())


MB = 1024 * 1024


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the member's declared uncompressed size (local header, zip64 extra, central directory)."""
    data = bytearray(data)
    encoded = name.encode()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo(name)
    # Local header: 30 fixed bytes, then name and extra (the zip64 extra holds the real sizes).
    off = info.header_offset
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    _patch_sizes(data, off + 22, off + 30 + name_len, extra_len, size, local=True)
    # Central directory entries start with PK\x01\x02.
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        n, e, c = struct.unpack("<HHH", data[pos + 28:pos + 34])
        if bytes(data[pos + 46:pos + 46 + n]) == encoded:
            _patch_sizes(data, pos + 24, pos + 46 + n, e, size, local=False)
        pos = data.find(b"PK\x01\x02", pos + 46 + n + e + c)
    return bytes(data)


def _patch_sizes(data: bytearray, size_at: int, extra_at: int, extra_len: int, size: int, *, local: bool) -> None:
    if struct.unpack("<I", data[size_at:size_at + 4])[0] != 0xFFFFFFFF:
        data[size_at:size_at + 4] = struct.pack("<I", size)
        return
    end = extra_at + extra_len
    while extra_at < end:
        tag, length = struct.unpack("<HH", data[extra_at:extra_at + 4])
        if tag == 0x0001:  # zip64: uncompressed size first
            data[extra_at + 4:extra_at + 12] = struct.pack("<Q", size)
            return
        extra_at += 4 + length


def main() -> None:
    make_enterprise()
    make_defects()
    make_gbk_csv()
    make_update_csv()
    make_hostile()
    for path in sorted(HERE.iterdir()):
        if path.suffix != ".py":
            print(f"{path.name:32} {path.stat().st_size:>9,} bytes")


if __name__ == "__main__":
    main()
