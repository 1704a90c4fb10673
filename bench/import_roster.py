"""Roster import benchmark: our importer against a straightforward django-import-export resource.

    python3 bench/import_roster.py [--rows 100000] [--baseline-rows 5000]

Sets up its own Django (settings gonghui.settings.dev, a fresh SQLite database in a temporary
GONGHUI_DATA_DIR, migrated), generates a roster xlsx shaped like a real 花名册 (title and filler
rows, header, 序号, text dates and Excel serials, 合计 and 填表人 rows), and in the same run:

1. reads the file with python-calamine and with openpyxl's read-only mode (reading only);
2. imports it with ``gonghui.members.services.importing.import_roster`` (read, validate, hash,
   encrypt, bulk insert, history events, audit), then imports it again (every row unchanged);
3. empties the roster and imports the same rows with a django-import-export ``ModelResource`` for
   Member that encrypts and hashes the ID through the model's fields, upserting by ID.

import-export cannot find a header under a title row nor map 男 / 本科 / 2023.5.1, so the baseline
gets the same people as a clean sheet (header in row 1, model values); that only helps it. It
saves row by row, so it runs on a sample (--baseline-rows); rows per second compare.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉鹏飞玉兰红梅海燕志强春燕晓东丹凤琴云峰晨阳宇浩然子轩欣怡梓涵雨萱佳豪俊杰思远嘉怡"
EDUCATION = ["初中", "高中", "中专", "大专", "本科", "硕士"]
POLITICAL = ["群众", "群众", "群众", "共青团员", "中共党员"]
HOUSEHOLD = ["农业", "非农业", "农村", "城镇"]
EMPLOYMENT = ["劳动合同", "劳动合同", "劳动合同", "劳务派遣", "灵活就业", "外卖骑手", "快递员"]
CODES = {"初中": "junior", "高中": "senior", "中专": "senior", "大专": "college", "本科": "bachelor", "硕士": "postgraduate",
         "群众": "masses", "共青团员": "league", "中共党员": "cpc", "农业": "rural", "农村": "rural", "非农业": "urban",
         "城镇": "urban", "劳动合同": ("contract", ""), "劳务派遣": ("dispatch", ""), "灵活就业": ("flexible", ""),
         "外卖骑手": ("new_form", "food_delivery"), "快递员": ("new_form", "courier")}


def rid(birth: datetime.date, seq: int) -> str:
    first17 = f"330521{birth:%Y%m%d}{seq:03d}"
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def people(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    used: set[str] = set()
    out = []
    while len(out) < n:
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randrange(0, 40 * 365))
        number = rid(birth, rng.randrange(1, 1000))
        if number in used:
            continue
        used.add(number)
        joined = max(birth.replace(year=birth.year + 18) if not (birth.month == 2 and birth.day == 29)
                     else birth + datetime.timedelta(days=18 * 366), datetime.date(2000, 1, 1))
        joined = min(joined + datetime.timedelta(days=rng.randrange(0, 3000)), datetime.date(2025, 12, 31))
        out.append({
            "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
            "id_number": number, "gender": "男" if int(number[16]) % 2 else "女",
            "phone": f"1{rng.choice('3589')}{len(out):09d}", "education": rng.choice(EDUCATION),
            "political": rng.choice(POLITICAL), "household": rng.choice(HOUSEHOLD),
            "employment": rng.choice(EMPLOYMENT), "joined": joined,
            "employer": f"青山精密机械有限公司{rng.choice('一二三四五')}车间",
        })
    return out


def roster_xlsx(rows: list[dict], path: Path) -> None:
    """As a union keeps it: title, filler, header, 序号, mixed date styles, 合计 and 填表人 below."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(["青山精密机械有限公司工会会员花名册"])
    ws.append(["填报单位：青山精密机械有限公司工会", None, None, None, None, None, None, None, "填报日期：2024年3月1日"])
    ws.append(["序号", "姓名", "性别", "民族", "身份证号码", "文化程度", "政治面貌", "户籍", "用工形式", "手机号码", "入会时间",
               "会员类型", "工作单位"])
    epoch = datetime.date(1899, 12, 30)
    for i, p in enumerate(rows):
        joined = p["joined"]
        style = i % 4
        joined_cell = (joined if style == 0 else (joined - epoch).days if style == 1
                       else f"{joined.year}.{joined.month}.{joined.day}" if style == 2
                       else f"{joined.year}年{joined.month}月{joined.day}日")
        ws.append([i + 1, p["name"], p["gender"], "汉族", p["id_number"], p["education"], p["political"],
                   p["household"], p["employment"], p["phone"], joined_cell, "正式会员", p["employer"]])
    ws.append(["合计", f"{len(rows)}人"])
    ws.append(["填表人：李华    审核人：张明"])
    wb.save(path)


def clean_xlsx(rows: list[dict], path: Path) -> None:
    """The same people for the baseline: header in row 1, model values."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("members")
    ws.append(["name", "gender", "birth_date", "ethnicity", "id_number", "phone", "education", "political_status",
               "household", "employment_form", "new_form_type", "employer_name", "member_type", "joined_on"])
    for p in rows:
        n = p["id_number"]
        form, kind = CODES[p["employment"]]
        ws.append([p["name"], "M" if p["gender"] == "男" else "F", f"{n[6:10]}-{n[10:12]}-{n[12:14]}", "汉族", n,
                   p["phone"], CODES[p["education"]], CODES[p["political"]], CODES[p["household"]], form, kind,
                   p["employer"], "full", p["joined"].isoformat()])
    wb.save(path)


def setup_django(data_dir: str) -> None:
    os.environ["GONGHUI_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "gonghui.settings.dev"
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # as in production: no SQL kept in memory for the debug toolbar
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def baseline_resource():
    from import_export import fields, resources

    from gonghui.core import pinyin
    from gonghui.members.models import Member
    from gonghui.members.services.roster import id_hash, make_card_number, phone_hash

    class MemberResource(resources.ModelResource):
        """A fair, simple resource: the model's fields encrypt; hashes and card number set on save."""

        id_number = fields.Field(attribute="id_number", column_name="id_number")

        def __init__(self, node):
            super().__init__()
            self.node = node

        class Meta:
            model = Member
            fields = ("name", "gender", "birth_date", "ethnicity", "id_number", "phone", "education",
                      "political_status", "household", "employment_form", "new_form_type", "employer_name",
                      "member_type", "joined_on")
            import_id_fields = ()

        def get_instance(self, instance_loader, row):  # upsert by ID, through its keyed hash
            return Member.objects.filter(id_hash=id_hash(row["id_number"]), status="active").first()

        def before_save_instance(self, instance, row, **kwargs):
            instance.node = self.node
            instance.id_hash = id_hash(instance.id_number)
            instance.phone_hash = phone_hash(instance.phone) if instance.phone else ""
            instance.phone_tail = instance.phone[-4:]
            instance.is_migrant = instance.household == "rural"
            instance.name_initials = pinyin.initials(instance.name)[:50]
            instance.source = "import"
            if not instance.card_number:
                instance.card_number = make_card_number(node=self.node)

    return MemberResource


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=5_000)
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory(prefix="gonghui-bench-")
    setup_django(tmp.name)

    from django_scopes import scopes_disabled
    from tablib import Dataset

    from gonghui.members.models import Member, MemberEvent
    from gonghui.members.services import importing
    from gonghui.orgs import services as orgs
    from gonghui.orgs.models import NodeKind

    with scopes_disabled():
        county = orgs.create_root(name="青山县总工会", kind=NodeKind.COUNTY, region_code="330521")
        node = orgs.create_node(parent=county, actor=None, name="青山精密机械有限公司工会", kind=NodeKind.ENTERPRISE)
    population = people(args.rows)
    roster = Path(tmp.name) / "roster.xlsx"
    t = time.perf_counter()
    roster_xlsx(population, roster)
    data = roster.read_bytes()
    print(f"generated {args.rows:,} rows, {len(data) / 1e6:.1f} MB xlsx in {time.perf_counter() - t:.1f} s")

    for name, reader in (("python-calamine", importing.reading._calamine), ("openpyxl read-only", lambda: None)):
        saved = importing.reading._calamine
        importing.reading._calamine = reader
        t = time.perf_counter()
        parsed = importing.parse_table(table=importing.read_table(data=data, filename="roster.xlsx"))
        importing.reading._calamine = saved
        print(f"read + parse with {name:18}: {time.perf_counter() - t:6.2f} s ({len(parsed.rows):,} rows)")

    with scopes_disabled():
        result = importing.import_roster(data=data, filename="roster.xlsx", node=node, actor=None)
        ours = result.seconds
        print(f"ours: {result.counts['new']:,} new, {result.counts['error_rows']} errors in {ours:.2f} s "
              f"= {args.rows / ours:,.0f} rows/s  (target < 15 s)")
        again = importing.import_roster(data=data, filename="roster.xlsx", node=node, actor=None)
        print(f"ours, same file again: {again.counts['new']} new, {again.counts['updated']} updated, "
              f"{again.counts['unchanged']:,} unchanged in {again.seconds:.2f} s")
        assert result.counts["new"] == args.rows and again.counts["unchanged"] == args.rows

        MemberEvent.objects.all().delete()
        Member.objects.all().delete()
        sample = population[:args.baseline_rows]
        clean = Path(tmp.name) / "clean.xlsx"
        clean_xlsx(sample, clean)
        resource = baseline_resource()(node)
        t = time.perf_counter()
        dataset = Dataset().load(clean.read_bytes(), format="xlsx")
        outcome = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
        baseline = time.perf_counter() - t
        assert not outcome.has_errors() and Member.objects.count() == len(sample)
    base_rate = len(sample) / baseline
    print(f"baseline (django-import-export ModelResource, on a {len(sample):,}-row sample): "
          f"{baseline:.2f} s = {base_rate:,.0f} rows/s")
    print(f"ratio: {args.rows / ours / base_rate:.1f}x (target >= 10x)")
    tmp.cleanup()


if __name__ == "__main__":
    main()
