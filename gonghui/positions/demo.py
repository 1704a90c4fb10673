"""Demo records of positions for the demo county 青山县; deterministic and safe to run twice.

About seventy positions: the county workers' cultural palace, hardship-aid centre, legal aid station
and counselling room in town; a worker's home, a bookroom and outdoor-worker stations (sanitation
depots, courier points, a love station at a petrol station) in every township, strung along its
roads; the driver's home at the 新桥 logistics park; worker's homes, small worker's homes and
mother-and-baby rooms in enterprises and office buildings. Written through the services (checked
and audited like a clerk's entry), then three months of visits inserted in bulk, and four-haves
assessments of the township homes.
"""

import datetime
import math
import random

from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.core.crypto import blind_index
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs.models import Node, NodeKind

from .models import Position, PositionKind, Visit, VisitorKind
from .services import assessments, bookrooms
from .services import positions as services
from .services.visits import PERSON_PURPOSE

SEED = 4_2026
ROOT_NAME = "青山县总工会"
# Township centres as the demo tree places them (gonghui/console/demo.py), and the roads leaving them.
TOWNSHIPS = {
    "城关街道": ((30.6281, 119.7842), ("人民路", "解放街", "文昌路", "县前街")),
    "青溪街道": ((30.6412, 119.8120), ("青溪大道", "滨江路", "新民路")),
    "凤凰街道": ((30.6105, 119.7610), ("凤凰路", "锦绣大道", "天街")),
    "河口镇": ((30.6730, 119.8655), ("滨河路", "渡口街", "工业大道")),
    "白石镇": ((30.5820, 119.7015), ("白石路", "石岭街")),
    "龙潭镇": ((30.5512, 119.8233), ("龙潭路", "潭西街")),
    "新桥镇": ((30.6950, 119.7420), ("新桥路", "园区大道", "兴业路")),
    "梅林镇": ((30.5310, 119.6805), ("梅林路", "茶园街")),
    "竹源乡": ((30.4960, 119.6350), ("竹源路",)),
    "云岭乡": ((30.4705, 119.7050), ("云岭路",)),
}
OFFICE = "周一至周五 08:30-11:30,13:30-17:30"
HOURS = {
    "workers_home": OFFICE + "；周六 09:00-16:00",
    "rest_station": "每天 07:00-19:00",
    "rest_station_long": "每天 06:00-21:00",
    "love_station": "每天 08:00-20:00",
    "bookroom": "周一至周六 09:00-17:00",
    "cultural_palace": "周二至周日 09:00-21:00",
    "counselling": "周一至周五 09:00-12:00,14:00-17:00",
    "legal_aid": OFFICE,
    "hardship_aid": OFFICE,
    "mother_baby": "周一至周五 08:00-18:00",
}
STATION_AMENITIES = ["hot_water", "microwave", "phone_charging", "toilet", "seats", "first_aid", "umbrellas",
                     "reading", "air_conditioning", "shelter"]
EXTRAS = ["charging", "refrigerator", "wifi", "repair_tools", "parking"]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


class _Loader:
    def __init__(self, root: Node, actor: User, stdout):
        self.root, self.actor, self.stdout = root, actor, stdout
        self.rng = random.Random(SEED)
        self.created = 0
        self.existing = set(Position.objects.values_list("node_id", "name"))

    def along(self, centre, road_index: int, step: int) -> tuple[float, float]:
        """A point ``step`` blocks out along road number ``road_index`` from the township centre."""
        angle = math.radians(25 + road_index * 95 + self.rng.uniform(-8, 8))
        metres = 280 * step + self.rng.uniform(-60, 60)
        d_lat = metres * math.cos(angle) / 111_320
        d_lng = metres * math.sin(angle) / (111_320 * math.cos(math.radians(centre[0])))
        return round(centre[0] + d_lat, 6), round(centre[1] + d_lng, 6)

    def add(self, node: Node, name: str, kind: str, point, address: str, hours: str, amenities, **extra):
        # Draw the contact before the existence check, so a second run consumes the same random
        # numbers and picks the same enterprises below (idempotent).
        contact_name, contact_phone = self.person(), self.phone()
        if (node.pk, name) in self.existing:
            return None
        open_24h = hours == "24小时"
        position = services.create_position(
            node=node, actor=self.actor, name=name, kind=kind, address=address, lat=point[0], lng=point[1],
            hours=hours, open_24h=open_24h,
            closed_on_holidays=kind in {"workers_home", "legal_aid", "counselling", "hardship_aid", "bookroom"},
            amenities=list(amenities), contact_name=contact_name, contact_phone=contact_phone, **extra)
        self.existing.add((node.pk, name))
        self.created += 1
        return position

    def person(self) -> str:
        return self.rng.choice("王李张刘陈杨黄赵吴周徐孙沈朱钱") + self.rng.choice(
            ["丽", "建华", "海燕", "国强", "秀英", "志刚", "红梅", "晓东", "春兰", "卫东"])

    def phone(self) -> str:
        return f"0572-{self.rng.randint(5100000, 5999999)}" if self.rng.random() < 0.5 else \
            f"13{self.rng.randint(5, 9)}{self.rng.randint(0, 99_999_999):08d}"

    def amenities(self, base=STATION_AMENITIES, extra: int = 2, drop: int = 3) -> list[str]:
        chosen = [a for a in base if self.rng.random() > drop / len(base)]
        return sorted(set(chosen + self.rng.sample(EXTRAS, extra)) | {"hot_water", "toilet"})

    def county(self, city_centre) -> None:
        root = self.root
        self.add(root, "青山县职工文化宫", PositionKind.CULTURAL_PALACE, self.along(city_centre, 1, 2),
                 "青山县城关街道文昌路66号", HOURS["cultural_palace"],
                 ["hot_water", "toilet", "seats", "reading", "air_conditioning", "wifi", "parking", "first_aid"],
                 level="city", area_sqm=12800, description="县总工会直属，设培训教室、舞蹈室、报告厅、职工书屋和健身房。")
        self.add(root, "青山县困难职工帮扶中心", PositionKind.HARDSHIP_AID, self.along(city_centre, 0, 1),
                 "青山县城关街道县前街18号一楼", HOURS["hardship_aid"], ["hot_water", "toilet", "seats", "air_conditioning"],
                 description="困难职工建档、送温暖、金秋助学、医疗互助受理窗口。")
        self.add(root, "青山县职工法律援助工作站", PositionKind.LEGAL_AID, self.along(city_centre, 0, 1),
                 "青山县城关街道县前街18号二楼", HOURS["legal_aid"], ["hot_water", "toilet", "seats", "air_conditioning"],
                 description="劳动争议咨询、法律援助申请、欠薪维权。")
        self.add(root, "青山县职工心理咨询室", PositionKind.COUNSELLING, self.along(city_centre, 1, 2),
                 "青山县城关街道文昌路66号职工文化宫四楼", HOURS["counselling"], ["hot_water", "seats", "air_conditioning"])

    def township(self, town: Node, centre, roads) -> None:
        short = town.name.replace("总工会", "").replace("工会联合会", "")
        self.add(town, f"{short}职工之家", PositionKind.WORKERS_HOME, self.along(centre, 0, 0),
                 f"青山县{short}{roads[0]}1号", HOURS["workers_home"],
                 ["hot_water", "toilet", "seats", "reading", "air_conditioning", "wifi", "first_aid"],
                 area_sqm=self.rng.choice([260, 320, 450, 600]))
        self.add(town, f"{short}职工书屋", PositionKind.BOOKROOM, self.along(centre, 0, 0),
                 f"青山县{short}{roads[0]}1号二楼", HOURS["bookroom"], ["hot_water", "seats", "reading", "wifi",
                                                                      "air_conditioning"])
        kinds = [("环卫工人驿站", "rest_station_long"), ("快递小哥驿站", "rest_station"), ("户外劳动者服务站", "rest_station")]
        for i, (label, hours_key) in enumerate(kinds):
            road = roads[i % len(roads)]
            step = 2 + i * 2
            name = f"{short}{road}{label}"
            hours = "24小时" if (i == 0 and short in {"城关街道", "新桥镇", "河口镇"}) else HOURS[hours_key]
            self.add(town, name, PositionKind.REST_STATION, self.along(centre, i, step),
                     f"青山县{short}{road}{self.rng.randint(20, 380)}号", hours, self.amenities())
        if len(roads) > 1:
            self.add(town, f"{short}中石化加油站爱心驿站", PositionKind.LOVE_STATION, self.along(centre, 2, 5),
                     f"青山县{short}{roads[-1]}{self.rng.randint(100, 500)}号", HOURS["love_station"],
                     self.amenities(extra=1, drop=5))

    def enterprises(self) -> None:
        nodes = list(Node.objects.filter(path__startswith=self.root.path, kind=NodeKind.ENTERPRISE,
                                         latitude__isnull=False, status="active").order_by("path"))
        self.rng.shuffle(nodes)
        for node in nodes[:14]:
            point = (float(node.latitude), float(node.longitude))
            kind = PositionKind.WORKERS_HOME if node.member_count and node.member_count > 100 \
                else PositionKind.SMALL_WORKERS_HOME
            label = "职工之家" if kind == PositionKind.WORKERS_HOME else "职工小家"
            base = node.name.removesuffix("工会")
            self.add(node, f"{base}{label}", kind, point, node.address or f"{base}厂区", HOURS["workers_home"],
                     ["hot_water", "toilet", "seats", "reading", "microwave", "refrigerator", "air_conditioning"])
        for node in list(Node.objects.filter(path__startswith=self.root.path, status="active",
                                             kind=NodeKind.BUILDING_JOINT, latitude__isnull=False))[:3]:
            self.add(node, f"{node.name.removesuffix('楼宇联合工会')}爱心妈咪小屋", PositionKind.MOTHER_BABY,
                     (float(node.latitude), float(node.longitude)), node.address or node.name, HOURS["mother_baby"],
                     ["nursing_room", "refrigerator", "seats", "toilet", "hot_water"])

    def drivers_home(self, towns: dict[str, Node]) -> None:
        town = towns.get("新桥镇")
        if town is None:
            return
        park = Node.objects.filter(path__startswith=town.path, kind=NodeKind.PARK_JOINT).first() or town
        centre = TOWNSHIPS["新桥镇"][0]
        self.add(park, "新桥物流园区司机之家", PositionKind.DRIVERS_HOME, self.along(centre, 1, 7),
                 "青山县新桥镇园区大道188号物流园区北门", "24小时",
                 ["hot_water", "microwave", "toilet", "shower", "laundry", "parking", "seats", "phone_charging",
                  "wifi", "repair_tools"], level="province", area_sqm=680,
                 description="货车司机休息、淋浴、洗衣、停车；提供维权咨询与入会服务。")

    def visits(self) -> int:
        """Three months of visits in bulk, once per person per hour as the service counts them."""
        positions = list(Position.objects.filter(path_root_filter(self.root)).order_by("pk"))
        if Visit.objects.filter(position__in=positions).exists():
            return 0
        keys = [(blind_index(f"phone:demo-{i}", purpose=PERSON_PURPOSE), i) for i in range(400)]
        today = timezone.localdate()
        rows = []
        for position in positions:
            if position.kind in {"legal_aid", "hardship_aid", "counselling"}:
                daily = 1
            elif position.kind in {"rest_station", "love_station", "drivers_home"}:
                daily = self.rng.randint(4, 14)
            else:
                daily = self.rng.randint(2, 6)
            for back in range(90):
                day = today - datetime.timedelta(days=back)
                for _n in range(self.rng.randint(0, daily)):
                    hour = self.rng.randint(8, 18)
                    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59))))
                    key, person = self.rng.choice(keys)
                    member = person % 3 != 0
                    rows.append(Visit(position=position, person_key=key, at=at,
                                      hour=at.replace(minute=0, second=0, microsecond=0),
                                      kind=VisitorKind.MEMBER if member else VisitorKind.PROSPECT))
        Visit.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        return len(rows)

    def books(self) -> None:
        """A shelf of well-known titles in each township bookroom, a few on loan (some overdue)."""
        from gonghui.members.models import Member

        bookrooms_qs = Position.objects.filter(path_root_filter(self.root), kind=PositionKind.BOOKROOM).order_by("pk")
        readers = list(Member.objects.filter(node__path__startswith=self.root.path, status="active")
                       .order_by("pk").values_list("card_number", flat=True)[:40])
        for index, room in enumerate(bookrooms_qs):
            if room.books.exists():
                continue
            for n, (title, author, publisher, year) in enumerate(BOOKS):
                first12 = f"978750{index:02d}{n:04d}"
                book = bookrooms.add_book(position=room, actor=self.actor, isbn=first12 + isbn_check(first12),
                                          title=title, author=author, publisher=publisher, year=year,
                                          copies=2 if n % 3 else 3,
                                          ebook_url="https://www.zgzgsw.cn/" if n == 0 else "")
                if readers and n < 3:
                    copy = book.copies.order_by("pk").first()
                    lent = timezone.localdate() - datetime.timedelta(days=10 + 12 * n)
                    bookrooms.lend_copy(copy=copy, actor=self.actor, card_code=readers[(index * 3 + n) % len(readers)],
                                   on=lent)

    def assess(self) -> None:
        homes = Position.objects.filter(path_root_filter(self.root), kind=PositionKind.WORKERS_HOME,
                                        node__kind__in=[NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION])
        for index, home in enumerate(homes.order_by("pk")):
            if home.assessments.exists():
                continue
            all_met = index % 4 != 3
            assessments.record_assessment(
                # June's assessment round, or today when the demo is loaded before it (never a future date)
                position=home, actor=self.actor,
                assessed_on=min(datetime.date(2026, 6, 10 + index), timezone.localdate()),
                assessor="青山县总工会基层工作部考评组",
                items={"venue": True, "facilities": True, "activities": all_met, "rules": True},
                notes={"venue": f"独立场所{home.area_sqm or 300}平方米", "rules": "管理制度、开放时间上墙公示"},
                level_awarded=("city" if index == 0 else "county") if all_met and index % 2 == 0 else "",
                comment="场所固定、设施齐全，活动常态化开展。" if all_met else "活动开展不够经常，限期整改。")


# Titles a union bookroom actually shelves; the ISBNs below are made up (valid check digits).
BOOKS = [
    ("平凡的世界", "路遥", "人民文学出版社", 2017), ("活着", "余华", "作家出版社", 2012),
    ("大国工匠", "中央电视台《大国工匠》栏目组", "中国工人出版社", 2016),
    ("劳动合同法实用问答", "本书编写组", "中国法制出版社", 2023), ("家常菜一本通", "甘智荣", "江苏凤凰科学技术出版社", 2019),
    ("电工基础", "王兆晶", "机械工业出版社", 2020), ("心理健康自助手册", "李明", "人民卫生出版社", 2021),
    ("人世间", "梁晓声", "中国青年出版社", 2017),
]


def isbn_check(first12: str) -> str:
    return str((10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12)) % 10) % 10)


def path_root_filter(root: Node):
    from django.db.models import Q

    return Q(node__path__startswith=root.path)


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger and the members exist."""
    with scopes_disabled():
        root = Node.objects.filter(depth=1, name=ROOT_NAME).first()
        actor = User.objects.filter(username="county_admin").first() or User.objects.filter(is_superuser=True).first()
        if root is None or actor is None:
            return
        loader = _Loader(root, actor, stdout)
        towns = {}
        for town in Node.objects.filter(path__startswith=root.path, depth=2,
                                        kind__in=[NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION]):
            short = town.name.replace("总工会", "").replace("工会联合会", "")
            if short in TOWNSHIPS:
                towns[short] = town
        loader.county(TOWNSHIPS["城关街道"][0])
        for short, town in sorted(towns.items(), key=lambda item: item[1].path):
            centre, roads = TOWNSHIPS[short]
            loader.township(town, centre, roads)
        loader.drivers_home(towns)
        loader.enterprises()
        visits = loader.visits()
        loader.assess()
        loader.books()
        if loader.created or visits:
            _say(stdout, _("Service positions: %(count)d positions, %(visits)d visits")
                 % {"count": loader.created, "visits": visits})
