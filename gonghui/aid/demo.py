"""Demo records of aid for the demo county; deterministic and safe to run twice.

Everything goes through the services, as a clerk, reviewer and finance officer of the county
would do it, so the ledger, budgets, audit log and figures agree. The year's figures come out like
a union report: medical mutual aid 619,700 yuan; autumn scholarships over 95,000 yuan for 20
children; winter warmth for the households on the hardship registry. Each programme has
applications in every state (waiting, first review passed, approved, paid, rejected, withdrawn,
a reversed payment).
"""

import datetime
import io
import random
import time
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User, Worker
from gonghui.core.crypto import blind_index
from gonghui.core.scoping import scopes_disabled
from gonghui.members.models import Member, MemberStatus
from gonghui.orgs.models import Node, NodeKind

from .models import Application, HardshipFile, Programme, ProgrammeKind
from .services import applications as apps
from .services import hardship, medical, objections, programmes, wishes

SEED = 20261123
MEDICAL_TOTAL = Decimal("619700")
SCHOLARSHIPS = [("undergraduate", "浙江大学", 6000), ("undergraduate", "宁波大学", 5000),
                ("undergraduate", "浙江工业大学", 5000), ("undergraduate", "杭州电子科技大学", 5000),
                ("undergraduate", "温州医科大学", 5000), ("undergraduate", "浙江师范大学", 5000),
                ("undergraduate", "中国计量大学", 5000), ("undergraduate", "浙江财经大学", 5000),
                ("junior_college", "金华职业技术学院", 4000), ("junior_college", "浙江机电职业技术学院", 4000),
                ("junior_college", "宁波职业技术学院", 4000), ("junior_college", "浙江交通职业技术学院", 4000),
                ("postgraduate", "复旦大学", 8000), ("postgraduate", "浙江大学", 8000),
                ("undergraduate", "西南交通大学", 5000), ("undergraduate", "安徽大学", 5000),
                ("junior_college", "义乌工商职业技术学院", 4000), ("undergraduate", "湖南大学", 5000),
                ("undergraduate", "浙江理工大学", 5000), ("undergraduate", "南昌大学", 5000)]
CHILD_NAMES = "雨欣 子涵 浩然 思雨 梓萱 宇轩 欣怡 俊杰 佳琪 博文 诗涵 一鸣 若曦 子墨 语桐 天佑 可馨 明哲 静怡 泽宇".split()
HOSPITALS = ["青山县人民医院", "青山县中医院", "市第一人民医院", "浙江大学医学院附属第一医院", "市中心医院"]
DIAGNOSES = ["恶性肿瘤", "尿毒症", "心脑血管疾病", "骨折及外伤", "重症肺炎", "糖尿病并发症", "其他住院治疗"]
CAUSES = [("illness", "本人患重病长期治疗"), ("illness", "配偶患尿毒症需透析"), ("education", "两个孩子同时上学"),
          ("disability", "因工致残丧失部分劳动能力"), ("disaster", "家中房屋遭洪水损毁"),
          ("unemployment", "企业停产，待岗收入低"), ("single_parent", "单亲抚养未成年子女")]
WISHES = [("给上初中的女儿买一台学习用的电脑", "money", "1800", ""), ("一双适合冬天送件的防寒手套和护膝", "item", "", "防寒手套护膝"),
          ("想给卧床的母亲买一张护理床", "money", "1500", ""), ("给孩子买一套课外读物", "item", "", "儿童课外书一套"),
          ("一个电动车充电宝", "item", "", "电动车移动电源"), ("想学电工证，缺一本教材和报名费", "money", "600", ""),
          ("给父亲配一副老花镜", "money", "300", ""), ("一件加厚的冲锋衣", "item", "", "加厚冲锋衣"),
          ("孩子的学费缺口", "money", "2000", ""), ("想要一台二手洗衣机", "item", "", "洗衣机"),
          ("给读高中的儿子买一辆自行车", "money", "800", ""), ("冬天用的电热毯", "item", "", "电热毯")]


def _people(names):
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _jpeg(colour: str) -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (480, 320), colour).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _split(total: Decimal, parts: int, rng: random.Random, *, low: int, high: int) -> list[Decimal]:
    """``parts`` amounts in whole hundreds between low and high adding up to ``total`` exactly."""
    hundreds = int(total / 100)
    values = [rng.randint(low // 100, high // 100) for _ in range(parts)]
    diff = hundreds - sum(values)
    i = 0
    while diff:
        step = 1 if diff > 0 else -1
        if low // 100 <= values[i % parts] + step <= high // 100:
            values[i % parts] += step
            diff -= step
        i += 1
    return [Decimal(v * 100) for v in values]


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger and the members exist."""
    with scopes_disabled():
        root = Node.objects.filter(depth=1, kind=NodeKind.COUNTY).order_by("path").first()
        if root is None or Programme.objects.filter(node=root).exists():
            return
        users = _people(["county_admin", "county_clerk", "county_reviewer", "county_finance"])
        if len(users) < 4 or not Member.objects.filter(status=MemberStatus.ACTIVE).exists():
            return
        started = time.monotonic()
        # The demo's beneficiaries are invented: nobody is sent an SMS about them.
        with transaction.atomic(), override_settings(GONGHUI_NOTIFIER="gonghui.aid.demo.QuietNotifier"):
            counts = _load(root, users)
    if stdout is not None:
        stdout.write(_("Assistance: %(figures)s (%(seconds).1f s)")
                     % {"figures": _("; ").join(f"{k} {v}" for k, v in counts.items()),
                        "seconds": time.monotonic() - started})


OVERDUE_FILE, DUE_SOON_FILE = 5, 17
REVIEW_NOTES = ["入户核实，情况属实", "电话回访，核对收入证明，维持认定", "走访社区（村）核实，家庭状况无明显变化",
                "复核家庭人均收入，仍低于当地困难职工认定标准"]


class QuietNotifier:
    def send(self, *, phone: str, text: str) -> None:
        return None


def _load(root: Node, users: dict) -> dict:
    rng = random.Random(SEED)
    admin, clerk, reviewer, finance = (users[k] for k in ("county_admin", "county_clerk", "county_reviewer",
                                                           "county_finance"))
    today = timezone.localdate()
    year = today.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    pool = list(Member.objects.filter(status=MemberStatus.ACTIVE).select_related("node").order_by("pk")[:4000])
    rng.shuffle(pool)
    taken = iter(pool)

    def programme(kind, name, budget, **extra):
        return programmes.create_programme(node=root, actor=admin, kind=kind, name=name, year=year, starts_on=start,
                                           ends_on=end, budget=budget, **extra)

    def paid_on() -> datetime.date:
        return start + datetime.timedelta(days=rng.randint(0, max((today - start).days - 1, 0)))

    # --- hardship registry --------------------------------------------------------------------
    # Kept as a county keeps it: every file reviewed each year on its date, so that the registry
    # shows one review a few days overdue and one due within the reminder window, not two years of
    # missed reviews; the reminders the union's daily job sent for them are part of the story.
    files = []
    for i in range(42):
        member = next(taken)
        cause, story = CAUSES[i % len(CAUSES)]
        if i == OVERDUE_FILE:  # registered a year and nine days ago, its first review not yet done
            day = today - datetime.timedelta(days=9)
            registered = datetime.date(day.year - 1, day.month, min(day.day, 28))
        elif i == DUE_SOON_FILE:  # reviewed last year, the next review in twelve days
            day = today + datetime.timedelta(days=12)
            registered = datetime.date(day.year - 2, day.month, min(day.day, 28))
        else:
            registered = datetime.date(year - rng.choice([1, 1, 2, 3]), rng.randint(1, 12), rng.randint(1, 28))
        file = hardship.register_file(
            node=member.node, actor=clerk, member=member, name=member.name, id_number=member.id_number,
            phone=member.phone, cause=cause, level=rng.choices(["deep", "relative", "sudden"], [3, 5, 1])[0],
            household_size=rng.randint(2, 5), income_per_head=Decimal(rng.randint(380, 1150)), situation=story,
            registered_on=registered,
            household=[{"name": member.name[0] + rng.choice(CHILD_NAMES), "relation": rng.choice(["配偶", "子女", "父母"]),
                        "birth_year": rng.randint(1950, 2015), "note": rng.choice(["在读", "务农", "患病", "无业"])}])
        while i != OVERDUE_FILE and file.review_due_on <= today:
            file = hardship.review_file(file=file, actor=reviewer, note=rng.choice(REVIEW_NOTES),
                                        on=file.review_due_on)
        files.append(file)
    for file in files[-3:]:
        hardship.exit_file(file=file, actor=clerk, reason="家庭人均收入已超过当地困难职工认定标准")
    active = [f for f in files[:-3]]
    hardship.send_review_reminders(today=today)  # the union's daily job: the two files above are told

    # --- winter warmth: the registered households -----------------------------------------------
    warmth = programme(ProgrammeKind.WINTER_WARMTH, f"{year}年“两节”送温暖", "60000", standard_amount="1000")
    made = []
    for file in active:
        application = apps.create_application(programme=warmth, actor=clerk, hardship=file, reason="困难职工“两节”慰问",
                                              amount="1000")
        if file.level == "deep":  # above the standard: raised by the county's reviewer, with the reason
            application = apps.raise_amount(application=application, actor=reviewer, amount="1500",
                                            reason="深度困难家庭，按县总工会规定提高慰问标准")
        made.append(application)
    _states(made, reviewer=reviewer, finance=finance, rng=rng, paid_on=paid_on)

    # --- summer cooling and four-season consolation, for front-line workers --------------------
    for kind, name, budget, each, n in ((ProgrammeKind.SUMMER_COOLING, f"{year}年夏送清凉", "40000", "200", 60),
                                        (ProgrammeKind.CONSOLATION, f"{year}年四季送·金秋慰问", "30000", "500", 24),
                                        (ProgrammeKind.SPRING_JOBS, f"{year}年春风行动·求职补贴", "20000", "800", 12)):
        p = programme(kind, name, budget, standard_amount=each)
        made = [apps.create_application(programme=p, actor=clerk, member=next(taken), reason=_reason(kind), amount=each)
                for _ in range(n)]
        _states(made, reviewer=reviewer, finance=finance, rng=rng, paid_on=paid_on)

    # --- autumn scholarships: 20 children paid, two-level review ---------------------------------
    scholarship = programme(ProgrammeKind.AUTUMN_SCHOLARSHIP, f"{year}年金秋助学", "120000", review_levels=2)
    parents = [f.member for f in active[:14]] + [next(taken) for _ in range(10)]
    made = []
    for i, parent in enumerate(parents):
        level, school, amount = SCHOLARSHIPS[i % len(SCHOLARSHIPS)]
        made.append(apps.create_application(
            programme=scholarship, actor=clerk, member=parent, reason="子女考入高校，家庭经济困难", amount=amount,
            scholarship={"student": parent.name[0] + CHILD_NAMES[i % len(CHILD_NAMES)], "school": school,
                         "admission_year": year, "level": level}))
    for application in made[:21]:
        apps.pass_first_review(application=application, actor=reviewer)
        apps.approve_application(application=application, actor=admin)
        apps.pay_application(application=application, actor=finance, paid_on=paid_on())
    apps.reverse_disbursement(application=made[20], actor=finance, reason="学生放弃入学，资助退回", release=True)
    apps.pass_first_review(application=made[21], actor=reviewer)           # waiting for the county's approval
    apps.reject_application(application=made[22], actor=reviewer, note="已获其他助学资助，不重复资助")
    # made[23] stays waiting for the first review

    # --- medical mutual aid: enrolments and claims paid to exactly 619,700 yuan ------------------
    mutual = programme(ProgrammeKind.MEDICAL, f"{year}年职工医疗互助", "800000", enrolment_fee="60", deductible="1000",
                       ratio="0.5", cap_per_claim="20000", cap_per_year="40000")
    claimants = [next(taken) for _ in range(96)]
    enrolled = [medical.enrol_member(programme=mutual, member=m, actor=clerk) for m in claimants]
    payouts = _split(MEDICAL_TOTAL, 88, rng, low=1500, high=19000)
    for i, (enrolment, payout) in enumerate(zip(enrolled[:88], payouts, strict=True)):
        eligible = payout * 2 + Decimal("1000")           # (eligible − 1,000) × 50 % = payout
        application = _claim(mutual, enrolment.member, eligible, rng, clerk, today, i)
        apps.approve_application(application=application, actor=reviewer)
        apps.pay_application(application=application, actor=finance, paid_on=paid_on())
    extra = [_claim(mutual, e.member, Decimal(rng.randint(30, 90) * 100), rng, clerk, today, 100 + i)
             for i, e in enumerate(enrolled[88:94])]
    apps.approve_application(application=extra[0], actor=reviewer)               # approved, to be paid
    apps.reject_application(application=extra[1], actor=reviewer, note="票据为门诊票据，不属于住院医疗互助范围")
    apps.withdraw_application(application=extra[2], actor=clerk)
    apps.approve_application(application=extra[3], actor=reviewer)
    apps.pay_application(application=extra[3], actor=finance)
    apps.reverse_disbursement(application=extra[3], actor=finance, reason="银行账号有误，款项退回", release=True)
    # extra[4] and extra[5] wait for review.

    apps.publish_publicity(programme=mutual, node=root, actor=clerk)
    listed = apps.publish_publicity(programme=scholarship, node=root, actor=clerk)
    # Two objections from a worker holding the list's link: one dismissed after a home visit, one
    # waiting for the aid officers (the entries are paid already: upholding it would reverse).
    entries = list(Application.objects.filter(publicities=listed).order_by("pk")[:2])
    objector = _worker(next(taken))
    objections.file_objection(publicity=listed, application_id=entries[0].pk, worker=objector,
                              reason="该生家里在镇上开有门店，经济条件较好，建议核实。")
    dismissed = objections.file_objection(publicity=listed, application_id=entries[1].pk, worker=objector,
                                          reason="听说该户已在县城购房，是否仍属困难家庭？")
    objections.decide_objection(objection=dismissed, actor=reviewer, uphold=False,
                                note="经入户核实，所购为安置房，家庭人均收入低于标准，符合条件。")

    # --- micro-wishes -------------------------------------------------------------------------
    wished = []
    for i, (title, kind, amount, item) in enumerate(WISHES):
        member = next(taken)
        worker = _worker(member)
        wish = wishes.post_wish(member=member, worker=worker, title=title, kind=kind, amount=amount or None, item=item)
        if i % 3 != 2:
            wishes.claim_wish(wish=wish, helper=rng.choice(["青山农商银行工会", "县供电公司团支部", "爱心人士陈女士",
                                                             "城关镇商会", "县税务局机关工会"]), actor=clerk)
        if i % 3 == 0:
            wishes.fulfil_wish(wish=wish, photo=_jpeg(rng.choice(["#f2c14e", "#8bc34a", "#64b5f6"])), actor=clerk)
        wished.append(wish)
    return {_("hardship files"): len(files), _("programmes"): Programme.objects.filter(node=root).count(),
            _("medical aid paid (yuan)"): f"{MEDICAL_TOTAL:,.0f}", _("micro-wishes"): len(wished)}


def _reason(kind: str) -> str:
    return {ProgrammeKind.SUMMER_COOLING: "高温天气坚守户外一线岗位",
            ProgrammeKind.CONSOLATION: "一线职工金秋慰问",
            ProgrammeKind.SPRING_JOBS: "失业后参加职业技能培训求职"}.get(kind, "生活困难")


def _states(made, *, reviewer, finance, rng, paid_on) -> None:
    """Most paid; the rest spread over every state (approved, reversed, rejected, withdrawn, waiting)."""
    for i, application in enumerate(made):
        slot = i % 10
        if slot in (7,):
            apps.reject_application(application=application, actor=reviewer, note="经核实不符合本项目条件")
        elif slot == 8:
            continue  # waiting for review
        elif slot == 9 and i < 20:
            apps.withdraw_application(application=application, actor=application.entered_by)
        else:
            apps.approve_application(application=application, actor=reviewer)
            if slot != 6:
                apps.pay_application(application=application, actor=finance, method=rng.choice(["bank", "bank", "cash"]),
                         paid_on=paid_on())
    paid = [a for a in made if a.status == "paid"]
    if paid:
        apps.reverse_disbursement(application=paid[0], actor=finance, reason="银行卡已注销，款项退回")  # to be paid again


def _claim(programme, member, eligible: Decimal, rng, clerk, today, i):
    admitted = datetime.date(today.year, 1, 2) + datetime.timedelta(days=rng.randint(0, max((today - datetime.date(
        today.year, 1, 2)).days - 12, 0)))
    total = eligible + Decimal(rng.randint(5, 40) * 100)      # insurance paid the rest of the bills
    first = (total * Decimal("0.6")).quantize(Decimal("1"))
    bills = [{"number": f"ZY{today.year}{i:04d}1", "amount": str(first)},
             {"number": f"ZY{today.year}{i:04d}2", "amount": str(total - first)}]
    return medical.submit_claim(programme=programme, member=member, actor=clerk, hospital=rng.choice(HOSPITALS),
                                diagnosis=rng.choice(DIAGNOSES), admitted_on=admitted,
                                discharged_on=admitted + datetime.timedelta(days=rng.randint(3, 20)),
                                bills_total=str(total), eligible=str(eligible), bills=bills)


def _worker(member) -> Worker:
    worker = Worker.objects.filter(phone_hash=blind_index(member.phone, purpose="phone")).first()
    return worker or Worker.objects.create(phone=member.phone, phone_hash=blind_index(member.phone, purpose="phone"))


__all__ = ["load", "HardshipFile"]
