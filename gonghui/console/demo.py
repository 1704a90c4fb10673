"""The demo county: 青山县, an invented county of 湖州市 (浙江省), with its whole union network.

Everything is written through the same services as the console (tree history, audit log, name
and credit-code validation), so the demo data is as valid as real data. The load is
deterministic (fixed lists and one seeded generator) and safe to repeat: a second run finds the
county federation, only makes sure the demo logins exist, and returns them.
"""

import datetime
import random
from decimal import Decimal
from importlib import import_module

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from gonghui.accounts import services as accounts
from gonghui.accounts.models import Role, User
from gonghui.core.ids import USCC_ALPHABET, uscc_check_char
from gonghui.members.demo import load_members
from gonghui.messaging.demo import last_message_id, settle_story
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind, Sector, StaffKind

# Modules whose demo.load() runs after the members, in this order (activities use positions as venues).
DEMO_MODULES = ("positions", "activities", "rights", "aid", "registration", "funds", "modelworkers", "contests", "counselling")

DEMO_PASSWORD = "Demo-2026-gonghui"
SEED = 20261123

# 湖州市 has 330521-330523 (德清, 长兴, 安吉); 330524 is free, so the invented county takes it.
COUNTY_CODE = "330524"
REGION = "浙江省湖州市青山县"
ROOT_NAME = "青山县总工会"
TOWN_ADMIN_NODE = "城关街道总工会"
ENT_ADMIN_NODE = "浙江青山精密机械股份有限公司工会"

TU, TF = NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION
# name, region code (last three digits: streets 0xx, towns 1xx, townships 2xx), union kind, roads,
# communities, villages, number of enterprise unions, centre (latitude, longitude)
TOWNSHIPS = [
    ("城关街道", "001", TU, ("人民路", "解放街", "文昌路", "县前街"),
     ("人民路社区", "解放街社区", "文昌社区", "南门社区"), (), 16, (30.6281, 119.7842)),
    ("青溪街道", "002", TU, ("青溪大道", "滨江路", "新民路"), ("青溪社区", "滨江社区", "新民社区"),
     ("溪口村",), 13, (30.6412, 119.8120)),
    ("凤凰街道", "003", TU, ("凤凰路", "锦绣大道", "天街"), ("凤凰社区", "锦绣社区"),
     ("凤鸣村", "桃源村"), 11, (30.6105, 119.7610)),
    ("河口镇", "101", TU, ("滨河路", "渡口街", "工业大道"), ("河口社区",),
     ("沙洲村", "柳湾村", "渡头村"), 14, (30.6730, 119.8655)),
    ("白石镇", "102", TU, ("白石路", "石岭街"), ("白石社区",), ("石岭村", "上白村", "下白村"),
     11, (30.5820, 119.7015)),
    ("龙潭镇", "103", TU, ("龙潭路", "潭西街"), ("龙潭社区",), ("龙井村", "潭口村", "黄泥岗村"),
     10, (30.5512, 119.8233)),
    ("新桥镇", "104", TU, ("新桥路", "园区大道", "兴业路"), ("新桥社区", "园区社区"),
     ("东桥村", "西桥村"), 13, (30.6950, 119.7420)),
    ("梅林镇", "105", TU, ("梅林路", "茶园街"), ("梅林社区",), ("梅坞村", "茶山村", "竹溪村"),
     9, (30.5310, 119.6805)),
    ("竹源乡", "201", TF, ("竹源路",), (), ("竹源村", "毛竹坞村", "高山村"), 5, (30.4960, 119.6350)),
    ("云岭乡", "202", TF, ("云岭路",), (), ("云岭村", "白云村"), 4, (30.4705, 119.7050)),
]
COUNTY_CENTRE = (30.6300, 119.7880)

# Joint unions: township, kind, name, sector of the employers they cover, how many.
JOINT_UNIONS = [
    ("城关街道", NodeKind.DISTRICT_JOINT, "青山县人民路商圈联合工会", Sector.RETAIL, 6),
    ("城关街道", NodeKind.BUILDING_JOINT, "青山国贸大厦楼宇联合工会", Sector.BUSINESS, 7),
    ("青溪街道", NodeKind.BUILDING_JOINT, "青溪财富中心楼宇联合工会", Sector.IT, 7),
    ("凤凰街道", NodeKind.DISTRICT_JOINT, "凤凰天街商圈联合工会", Sector.CATERING, 6),
    ("新桥镇", NodeKind.PARK_JOINT, "新桥工业园区联合工会", Sector.MANUFACTURING, 8),
]

# Industry federations under the county: name, sector, enterprise unions, new-employment union,
# employers still to organize.
INDUSTRIES = [
    ("青山县网约车行业工会联合会", Sector.PLATFORM,
     ("湖州畅行网约车服务有限公司", "青山县出租汽车有限公司"), "青山县网约车司机工会",
     ("湖州快行出行科技有限公司青山分公司", "青山县安途汽车租赁有限公司", "青山县顺风网约车服务部")),
    ("青山县快递行业工会联合会", Sector.LOGISTICS,
     ("青山县顺捷快递有限公司", "湖州韵通快递服务有限公司青山分公司", "青山县申达速递有限公司",
      "青山县极速快递服务有限公司"), "青山县快递员工会",
     ("青山县迅达快递河口营业部", "青山县百捷快递服务部", "青山县优速达快递有限公司", "青山县乡邮快递驿站")),
    ("青山县物流行业工会联合会", Sector.LOGISTICS,
     ("浙江青运物流有限公司", "青山县通达货运有限公司", "湖州安顺供应链管理有限公司"), "青山县货车司机工会",
     ("青山县路通货运部", "青山县长运物流有限公司", "青山县恒通冷链物流有限公司")),
    ("青山县物业管理行业工会联合会", Sector.PROPERTY,
     ("青山县安居物业服务有限公司", "浙江锦华物业管理有限公司青山分公司", "青山县凤凰物业管理有限公司",
      "青山县嘉园物业服务有限公司", "青山县城市之光物业管理有限公司"), None,
     ("青山县宜居物业管理有限公司", "青山县佳美保洁服务有限公司")),
]

# Social organizations: name, USCC type (51 social group, 52 private non-enterprise unit), sector,
# employees, whether it has its own union.
SOCIAL_ORGS = [
    ("青山县律师协会", "51", Sector.SOCIAL_ORG, 46, True),
    ("青山县育才实验学校", "52", Sector.EDUCATION, 138, True),
    ("青山县阳光社会工作服务中心", "52", Sector.SOCIAL_ORG, 32, True),
    ("青山县慈善总会", "51", Sector.SOCIAL_ORG, 18, True),
    ("青山县康宁护理院", "52", Sector.HEALTH, 86, True),
    ("青山县书法家协会", "51", Sector.CULTURE, 6, False),
    ("青山县爱心义工协会", "51", Sector.SOCIAL_ORG, 9, False),
    ("青山县启航青少年服务中心", "52", Sector.EDUCATION, 15, False),
]

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏方钱俞施费严章鲍华闻")
GIVEN_NAMES = (
    "建国 丽华 志强 秀英 海燕 晓东 雪梅 伟 芳 军 敏 静 磊 洋 婷 勇 艳 杰 娟 涛 明 超 霞 平 刚 桂英 玉兰 建华"
    " 国庆 红梅 春燕 文斌 立新 佳怡 子涵 浩然 思远 晨曦 建明 卫东 美玲 国平 永康 小红 亚萍 金凤 宏亮 丹丹"
    " 志刚 慧敏 海峰 雅琴 嘉豪 欣怡 俊杰 梦婷 宇航 伟民 秋月 德华").split()

BRANDS = (
    "恒远 华泰 永盛 金桥 瑞丰 天成 宏伟 中联 佳和 嘉禾 润泽 东方 明阳 富强 新亚 隆鑫 万通 兴业 立信 锦程"
    " 宝丰 汇通 德力 协和 盛达 鼎新 振华 同创 鸿达 安泰 致远 博远 裕丰 欣荣 春晖 青竹 翠峰 双溪 绿源 康达"
    " 华信 天宇 昌盛 恒昌 金鼎 凯达 信诚 聚力 美达 兴隆 巨能 力源 长兴 远航 新源 中天 大成 舜达 荣昌 亿嘉"
).split()
# business, sector, USCC type; weighted towards the manufacturing a county of 湖州 lives on.
BUSINESSES = [
    ("精密机械", Sector.MANUFACTURING), ("纺织", Sector.MANUFACTURING), ("竹木制品", Sector.MANUFACTURING),
    ("新材料科技", Sector.MANUFACTURING), ("食品", Sector.MANUFACTURING), ("服饰", Sector.MANUFACTURING),
    ("五金制品", Sector.MANUFACTURING), ("汽车零部件", Sector.MANUFACTURING), ("家具", Sector.MANUFACTURING),
    ("包装材料", Sector.MANUFACTURING), ("电器", Sector.MANUFACTURING), ("建材", Sector.MANUFACTURING),
    ("光电科技", Sector.MANUFACTURING), ("塑业", Sector.MANUFACTURING), ("阀门", Sector.MANUFACTURING),
    ("电机", Sector.MANUFACTURING), ("印务", Sector.MANUFACTURING), ("竹业", Sector.MANUFACTURING),
    ("建筑工程", Sector.CONSTRUCTION), ("装饰工程", Sector.CONSTRUCTION), ("市政建设", Sector.CONSTRUCTION),
    ("商贸", Sector.RETAIL), ("超市", Sector.RETAIL), ("餐饮管理", Sector.CATERING), ("酒店", Sector.CATERING),
    ("网络科技", Sector.IT), ("信息技术", Sector.IT), ("人力资源服务", Sector.BUSINESS),
    ("医药连锁", Sector.HEALTH), ("茶业", Sector.AGRICULTURE), ("生态农业开发", Sector.AGRICULTURE),
]
SMALL_BUSINESSES = {  # shops and offices in joint unions and village federations: (name ending, sector, type)
    Sector.RETAIL: [("服装店", "92"), ("超市", "92"), ("电器商行", "92"), ("眼镜店", "92"), ("母婴用品店", "92"),
                    ("商贸有限公司", "91")],
    Sector.CATERING: [("小吃店", "92"), ("餐厅", "92"), ("火锅店", "92"), ("奶茶店", "92"), ("面馆", "92"),
                      ("餐饮管理有限公司", "91")],
    Sector.BUSINESS: [("会计服务有限公司", "91"), ("广告有限公司", "91"), ("律师事务所", "31"),
                      ("企业管理咨询有限公司", "91"), ("人力资源有限公司", "91")],
    Sector.IT: [("网络科技有限公司", "91"), ("软件有限公司", "91"), ("电子商务有限公司", "91"),
                ("信息技术有限公司", "91")],
    Sector.MANUFACTURING: [("机械有限公司", "91"), ("五金厂", "91"), ("服饰有限公司", "91"),
                           ("竹制品厂", "91"), ("包装有限公司", "91"), ("塑料制品有限公司", "91")],
    Sector.AGRICULTURE: [("茶叶专业合作社", "93"), ("家庭农场", "92"), ("笋竹专业合作社", "93"),
                         ("果蔬专业合作社", "93")],
}
NOTES = [
    "2026年3月走访，负责人表示年内启动建会。",
    "已发放建会告知书，待企业答复。",
    "员工以季节工为主，建议纳入联合基层工会。",
    "负责人常驻外地，已电话联系，约定下月再访。",
    "企业正在改制，待完成后推进建会。",
    "",
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _cadres() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """username, name, description, [(node name, role)]: every Role is held by someone."""
    return [
        ("county_admin", "沈建国",
         _("Administrator of the county federation (whole county)."),
         [(ROOT_NAME, Role.ADMIN)]),
        ("county_clerk", "王丽华", _("Clerk of the county federation: data entry for the whole county."),
         [(ROOT_NAME, Role.CLERK)]),
        ("county_reviewer", "陈志强", _("Reviewer of the county federation: approvals for the whole county."),
         [(ROOT_NAME, Role.REVIEWER)]),
        ("county_viewer", "李晓东", _("Viewer of the county federation: read-only statistics."),
         [(ROOT_NAME, Role.VIEWER)]),
        ("county_mediator", "周海燕", _("Mediator at the county federation: rights cases assigned to them."),
         [(ROOT_NAME, Role.MEDIATOR)]),
        ("county_finance", "钱雪梅", _("Finance officer of the county federation: funds and budgets."),
         [(ROOT_NAME, Role.FINANCE)]),
        ("town_admin", "俞文斌",
         _("Administrator of %(node)s (one street).") % {"node": TOWN_ADMIN_NODE},
         [(TOWN_ADMIN_NODE, Role.ADMIN)]),
        ("ent_admin", "金晓燕",
         _("Administrator and finance officer of %(node)s (one enterprise union).") % {"node": ENT_ADMIN_NODE},
         [(ENT_ADMIN_NODE, Role.ADMIN), (ENT_ADMIN_NODE, Role.FINANCE)]),
    ]


def _ensure_users() -> dict[str, User]:
    """The demo accounts, created where missing; existing ones (and their passwords) are left alone."""
    users = {}
    for username, name, _description, _grants in _cadres():
        users[username] = User.objects.filter(username=username).first() or accounts.create_cadre(
            username=username, password=DEMO_PASSWORD, display_name=name)
    return users


def _ensure_cadres(root: Node) -> list[tuple[str, str]]:
    """Make sure every demo login exists and holds its roles; return (username, description)."""
    users = _ensure_users()
    nodes = {}
    logins = []
    for username, _name, description, grants in _cadres():
        user = users[username]
        for node_name, role in grants:
            if node_name not in nodes:
                nodes[node_name] = Node.objects.filter(path__startswith=root.path, name=node_name).first()
            if nodes[node_name] is not None:
                accounts.grant_role(user=user, node=nodes[node_name], role=role)
        logins.append((username, description))
    return logins


def find_demo_root() -> Node | None:
    return Node.objects.filter(depth=1, kind=NodeKind.COUNTY, region_code=COUNTY_CODE, name=ROOT_NAME).first()


def load_demo(*, stdout=None) -> list[tuple[str, str]]:
    """Load the demo county once; return the console logins as (username, description)."""
    story_from = last_message_id()
    with scopes_disabled(), transaction.atomic():
        root = find_demo_root()
        if root is not None:
            _say(stdout, _("The demo county is already loaded; checking the logins."))
        else:
            _say(stdout, _("Loading the demo county %(name)s …") % {"name": ROOT_NAME})
            root = _Builder(stdout).build()
        logins = _ensure_cadres(root)
    # Each module adds its demo records through its own loader; each is idempotent.
    load_members(stdout=stdout)
    for module in DEMO_MODULES:
        import_module(f"gonghui.{module}.demo").load(stdout=stdout)
    settle_story(after_id=story_from)
    return logins


class _Builder:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.codes: set[str] = set()
        self.names: set[str] = set()
        self.nodes = 0
        self.employers = 0
        self.without_union = 0
        self.actor: User | None = None
        self.users: dict[str, User] = {}
        self.town_staff: dict[int, tuple[int, int]] = {}  # node id -> (vice-chairs, socialized workers)

    # -- small generators -------------------------------------------------------------------

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)

    def date(self, first_year: int, last_year: int) -> datetime.date:
        start = datetime.date(first_year, 1, 1).toordinal()
        return datetime.date.fromordinal(self.rng.randint(start, datetime.date(last_year, 12, 28).toordinal()))

    def place(self, centre: tuple[float, float], spread: float = 0.015) -> dict:
        lat, lon = centre
        return {"latitude": Decimal(f"{lat + self.rng.uniform(-spread, spread):.6f}"),
                "longitude": Decimal(f"{lon + self.rng.uniform(-spread, spread):.6f}")}

    def credit_code(self, kind: str) -> str:
        """A fresh GB 32100 code: ``kind`` (e.g. 91 enterprise, 81 trade union) + area + organization code."""
        while True:
            if self.rng.random() < 0.6:  # codes issued since 2015 carry "MA" and letters
                body = "MA" + "".join(self.rng.choice(USCC_ALPHABET) for _ in range(6))
            else:
                body = "".join(self.rng.choice("0123456789") for _ in range(8))
            # GB 11714 check character of the organization code (A=10 … Z=35).
            total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
            check = 11 - total % 11
            first17 = kind + COUNTY_CODE + body + {10: "X", 11: "0"}.get(check, str(check))
            code = first17 + uscc_check_char(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def company_name(self, business: str, *, suffix: str = "有限公司") -> str:
        while True:
            prefix = self.rng.choice(("青山县", "青山县", "湖州", "浙江", "青山"))
            name = f"{prefix}{self.rng.choice(BRANDS)}{business}{suffix}"
            if name not in self.names:
                self.names.add(name)
                return name

    def six_haves(self, likelihood: float) -> dict:
        keys = ("sign", "seal", "venue", "staff", "funds", "rules")
        return {key: self.rng.random() < likelihood for key in keys}

    # -- writes through the services ----------------------------------------------------------

    def node(self, parent: Node, **fields) -> Node:
        self.nodes += 1
        return orgs.create_node(parent=parent, actor=self.actor, **fields)

    def union_node(self, parent: Node, *, name: str, kind: str, region: tuple[str, str], centre, address: str,
                   workers: int = 0, members: int = 0, legal_person: float = 0.5, since=(1995, 2024),
                   six_haves: float = 0.8, short_name: str = "", full_time_staff: int = 0) -> Node:
        legal = self.rng.random() < legal_person
        return self.node(
            parent, name=name, short_name=short_name, kind=kind, region_code=region[0], region_name=region[1],
            address=address, credit_code=self.credit_code("81") if legal else "", is_legal_person=legal,
            established_on=self.date(*since), chair_name=self.person(), six_haves=self.six_haves(six_haves),
            worker_count=workers, member_count=members, full_time_staff=full_time_staff, **self.place(centre))

    def employer(self, jurisdiction: Node, *, name: str, kind: str, sector: str, employees: int, address: str,
                 union: Node | None = None, follow_up_by: User | None = None, notes: str = ""):
        self.employers += 1
        self.without_union += union is None
        self.names.add(name)
        return orgs.create_employer(
            node=jurisdiction, actor=self.actor, name=name, credit_code=self.credit_code(kind), sector=sector,
            employee_count=employees, address=address, union=union, follow_up_by=follow_up_by, notes=notes)

    def members_of(self, workers: int, low: float = 0.78) -> int:
        return round(workers * self.rng.uniform(low, 0.99))

    def enterprise(self, parent: Node, jurisdiction: Node, *, name: str, sector: str, employees: int,
                   region, centre, address: str, kind: str = "91") -> Node:
        """An employer with its own enterprise union, linked in the ledger."""
        union = self.union_node(parent, name=f"{name}工会", kind=NodeKind.ENTERPRISE, region=region,
                                centre=centre, address=address, workers=employees,
                                members=self.members_of(employees), legal_person=0.6, since=(2003, 2025))
        self.employer(jurisdiction, name=name, kind=kind, sector=sector, employees=employees, address=address,
                      union=union)
        return union

    def unorganized(self, jurisdiction: Node, *, name: str, kind: str, sector: str, employees: int,
                    address: str, follower: User | None):
        self.employer(jurisdiction, name=name, kind=kind, sector=sector, employees=employees, address=address,
                      follow_up_by=follower if self.rng.random() < 0.7 else None, notes=self.rng.choice(NOTES))

    # -- the county ---------------------------------------------------------------------------

    def build(self) -> Node:
        root = orgs.create_root(
            name=ROOT_NAME, short_name="县总工会", kind=NodeKind.COUNTY, region_code=COUNTY_CODE,
            region_name=REGION, address="浙江省湖州市青山县城关街道县前街18号", credit_code=self.credit_code("81"),
            established_on=datetime.date(1951, 5, 1), chair_name="陆卫东", full_time_staff=12,
            is_legal_person=True, is_registration_office=True, six_haves=self.six_haves(1.0),
            latitude=Decimal(f"{COUNTY_CENTRE[0]:.6f}"), longitude=Decimal(f"{COUNTY_CENTRE[1]:.6f}"))
        self.nodes += 1
        # The county administrator writes the network, as they would in the console; the accounts
        # exist first because cadres follow up the employers still to organize.
        self.users = _ensure_users()
        self.actor = self.users["county_admin"]
        accounts.grant_role(user=self.actor, node=root, role=Role.ADMIN)
        clerk = self.users["county_clerk"]

        townships = [self.township(root, *spec, follower=clerk) for spec in TOWNSHIPS]
        _say(self.stdout, _("%(count)d townships and streets with their unions") % {"count": len(townships)})
        for spec in INDUSTRIES:
            self.industry(root, *spec, follower=clerk)
        self.social_organizations(root, follower=clerk)
        _say(self.stdout, _("%(nodes)d union organizations, %(employers)d employers in the ledger "
                            "(%(without)d still without a union)")
             % {"nodes": self.nodes, "employers": self.employers, "without": self.without_union})
        staff = self.staff(root, townships)
        _say(self.stdout, _("%(count)d union staff and the staff targets for %(year)d")
             % {"count": staff, "year": timezone.localdate().year})
        return root

    def township(self, root: Node, name, code, kind, roads, communities, villages, enterprises, centre, *,
                 follower) -> Node:
        rng = self.rng
        region = (COUNTY_CODE + code, REGION + name)
        union_name = f"{name}总工会" if kind == TU else f"{name}工会联合会"
        # Staff in post: a full-time vice-chair (the two small townships still lack one) and
        # one to three socialized union workers.
        staff = (int(kind == TU), rng.randint(1, 3))
        town = self.union_node(root, name=union_name, short_name=name, kind=kind, region=region, centre=centre,
                               address=f"青山县{name}{roads[0]}{rng.randint(1, 99)}号", legal_person=1.0,
                               since=(1984, 2012), six_haves=0.95, full_time_staff=sum(staff))
        self.town_staff[town.pk] = staff
        if union_name == TOWN_ADMIN_NODE:
            follower = self.users["town_admin"]  # the street's own administrator follows up its ledger

        def address() -> str:
            return f"青山县{name}{rng.choice(roads)}{rng.randint(1, 399)}号"

        # Village and community union federations, each covering a few small employers.
        for i, place in enumerate(communities + villages):
            is_village = place in villages
            area = (f"{COUNTY_CODE}{code}{(200 if is_village else 0) + i + 1:03d}", region[1] + place)
            sector = Sector.AGRICULTURE if is_village else Sector.RETAIL
            covered = [(*rng.choice(SMALL_BUSINESSES[sector]), rng.randint(4, 30)) for _ in range(rng.randint(1, 2))]
            workers = sum(size for _e, _k, size in covered) + rng.randint(10, 60)  # plus the village's own
            federation = self.union_node(
                town, name=f"{place}工会联合会", kind=NodeKind.VILLAGE_FEDERATION, region=area, centre=centre,
                address=f"青山县{name}{place}", workers=workers, members=self.members_of(workers, 0.6),
                legal_person=0.2, since=(2008, 2022), six_haves=0.6)
            for ending, uscc_kind, size in covered:
                self.employer(town, name=self.small_name(place, ending), kind=uscc_kind, sector=sector,
                              employees=size, address=f"青山县{name}{place}", union=federation)

        # Enterprise unions; the first one in 城关街道 is the demo enterprise.
        for i in range(enterprises):
            if union_name == TOWN_ADMIN_NODE and i == 0:
                business, sector, employees = "精密机械", Sector.MANUFACTURING, 1280
                company = ENT_ADMIN_NODE.removesuffix("工会")
                self.names.add(company)
            else:
                business, sector = rng.choice(BUSINESSES)
                employees = max(30, min(2200, int(rng.lognormvariate(4.9, 0.8))))
                company = self.company_name(business, suffix=rng.choice(("有限公司", "有限公司", "股份有限公司")))
            union = self.enterprise(town, town, name=company, sector=sector, employees=employees, region=region,
                                    centre=centre, address=address())
            if company == ENT_ADMIN_NODE.removesuffix("工会"):
                self.branches(union, ("一车间", "二车间", "机关"), region, centre, groups=2)
            elif i == 1 and employees >= 300:
                self.branches(union, ("生产部", "销售部"), region, centre, groups=0)

        # A catch-all joint grassroots union for small employers (single joining when there is none).
        joints = [(NodeKind.JOINT_GRASSROOTS, f"{name}小微企业联合工会", Sector.MANUFACTURING, 4)]
        joints += [spec[1:] for spec in JOINT_UNIONS if spec[0] == name]
        for joint_kind, joint_name, sector, count in joints:
            self.joint(town, name=joint_name, kind=joint_kind, sector=sector, count=count, region=region,
                       centre=centre, address=address)
        if name == "城关街道":
            self.union_node(town, name="城关街道外卖配送员工会", kind=NodeKind.NEW_EMPLOYMENT, region=region,
                            centre=centre, address=address(), workers=420, members=268, legal_person=0.0,
                            since=(2021, 2024))

        # Employers still to organize, followed up by a cadre.
        for _i in range(max(2, enterprises // 2 + rng.randint(-1, 2))):
            business, sector = rng.choice(BUSINESSES)
            self.unorganized(town, name=self.company_name(business), kind="91", sector=sector,
                             employees=max(3, min(400, int(rng.lognormvariate(3.4, 0.9)))), address=address(),
                             follower=follower)
        return town

    def small_name(self, place: str, ending: str) -> str:
        while True:
            name = f"青山县{place}{self.rng.choice(BRANDS)}{ending}"
            if name not in self.names:
                self.names.add(name)
                return name

    def joint(self, town: Node, *, name: str, kind: str, sector: str, count: int, region, centre, address) -> None:
        """A joint union and the small employers it covers; it declares their workers."""
        covered = [(*self.rng.choice(SMALL_BUSINESSES[sector]), self.rng.randint(5, 45)) for _i in range(count)]
        workers = sum(size for _e, _k, size in covered)
        union = self.union_node(town, name=name, kind=kind, region=region, centre=centre, address=address(),
                                workers=workers, members=self.members_of(workers, 0.7), legal_person=0.7,
                                since=(2012, 2024))
        for ending, uscc_kind, size in covered:
            self.employer(town, name=self.small_name(town.short_name, ending), kind=uscc_kind, sector=sector,
                          employees=size, address=address(), union=union)

    def branches(self, union: Node, names, region, centre, *, groups: int) -> None:
        company = union.name.removesuffix("工会")
        for branch_name in names:
            branch = self.union_node(union, name=f"{company}{branch_name}分工会", kind=NodeKind.BRANCH,
                                     region=region, centre=centre, address=union.address, legal_person=0.0,
                                     since=(union.established_on.year, 2025), six_haves=0.5)
            for n in range(1, groups + 1):
                self.union_node(branch, name=f"{company}{branch_name}第{'一二三四'[n - 1]}工会小组", kind=NodeKind.GROUP,
                                region=region, centre=centre, address=union.address, legal_person=0.0,
                                since=(branch.established_on.year, 2025), six_haves=0.3)

    def industry(self, root: Node, name, sector, companies, workers_union, unorganized, *, follower) -> None:
        rng = self.rng
        region = (COUNTY_CODE, REGION)
        federation = self.union_node(root, name=name, kind=NodeKind.INDUSTRY, region=region,
                                     centre=COUNTY_CENTRE, address=f"青山县城关街道人民路{rng.randint(100, 300)}号",
                                     legal_person=1.0, since=(2018, 2023), six_haves=0.9)

        def address() -> str:
            town = rng.choice(TOWNSHIPS)
            return f"青山县{town[0]}{rng.choice(town[3])}{rng.randint(1, 399)}号"

        for company in companies:
            self.names.add(company)
            employees = rng.randint(25, 260)
            self.enterprise(federation, federation, name=company, sector=sector, employees=employees,
                            region=region, centre=COUNTY_CENTRE, address=address())
        if workers_union:
            workers = rng.randint(300, 900)
            self.union_node(federation, name=workers_union, kind=NodeKind.NEW_EMPLOYMENT, region=region,
                            centre=COUNTY_CENTRE, address=federation.address, workers=workers,
                            members=self.members_of(workers, 0.55), legal_person=0.5, since=(2020, 2024))
        for company in unorganized:
            self.names.add(company)
            self.unorganized(federation, name=company, kind="92" if company.endswith(("部", "站")) else "91",
                             sector=sector, employees=rng.randint(4, 60), address=address(), follower=follower)

    def social_organizations(self, root: Node, *, follower) -> None:
        region = (COUNTY_CODE, REGION)
        federation = self.union_node(root, name="青山县社会组织联合工会", kind=NodeKind.SOCIAL_ORG, region=region,
                                     centre=COUNTY_CENTRE, address="青山县城关街道文昌路66号", legal_person=1.0,
                                     since=(2016, 2020), six_haves=0.9)
        for name, kind, sector, employees, organized in SOCIAL_ORGS:
            self.names.add(name)
            address = f"青山县城关街道文昌路{self.rng.randint(1, 200)}号"
            if organized:
                union = self.union_node(federation, name=f"{name}工会", kind=NodeKind.SOCIAL_ORG, region=region,
                                        centre=COUNTY_CENTRE, address=address, workers=employees,
                                        members=self.members_of(employees), legal_person=0.4, since=(2016, 2025))
                self.employer(federation, name=name, kind=kind, sector=sector, employees=employees,
                              address=address, union=union)
            else:
                self.unorganized(federation, name=name, kind=kind, sector=sector, employees=employees,
                                 address=address, follower=follower)

    # -- union staff --------------------------------------------------------------------------

    def staff(self, root: Node, townships: list[Node]) -> int:
        """Full-time vice-chairs and socialized union workers; this year's targets, some not met."""
        year, count = timezone.localdate().year, 0

        def add(node: Node, kind: str, n: int) -> None:
            nonlocal count
            for _i in range(n):
                orgs.add_staff(node=node, actor=self.actor, name=self.person(), kind=kind,
                               started_on=self.date(2012, year - 1))
                count += 1

        add(root, StaffKind.CADRE, 5)
        add(root, StaffKind.VICE_CHAIR, 2)
        socialized_target = 0
        for i, town in enumerate(townships):
            vice_chairs, socialized = self.town_staff[town.pk]
            add(town, StaffKind.VICE_CHAIR, vice_chairs)
            orgs.set_staff_target(node=town, actor=self.actor, year=year, kind=StaffKind.VICE_CHAIR, target=1)
            add(town, StaffKind.SOCIALIZED, socialized)
            target = socialized + (1 if i % 3 == 1 else 0)  # "one more per township", not yet met everywhere
            orgs.set_staff_target(node=town, actor=self.actor, year=year, kind=StaffKind.SOCIALIZED,
                                  target=target)
            socialized_target += target
        orgs.set_staff_target(node=root, actor=self.actor, year=year, kind=StaffKind.SOCIALIZED,
                              target=socialized_target)
        return count
