"""Demo records of rights for the demo county; deterministic and safe to run twice.

Fifty claims in every stage — received, accepted, assigned, investigating, in mediation, legal aid,
arbitration, court, closed, visited, declined, withdrawn — some overdue; 24 disputes settled by
joint mediation with the labour bureau, the court or a lawyer, which with two arbitration awards
recover 638,000 yuan, the kind of figure a county report quotes; legal check-ups with risks and
rectifications; collective agreements for most unionized employers.

Everything is written through the services (history, audit log, deadlines, encrypted personal
data); afterwards the dates are spread back over the past months, which no service may do (a
service stamps "now"), so that the timeline, the deadlines and the overdue flags look real.
"""

import datetime
import random
import time
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts import services as accounts
from gonghui.accounts.models import Role, User, Worker
from gonghui.core.crypto import blind_index
from gonghui.core.scoping import scopes_disabled
from gonghui.core.workdays import add_workdays
from gonghui.members.demo import GIVEN_F, GIVEN_M, SURNAMES
from gonghui.orgs.models import Employer, Node, NodeKind, Sector

from . import selectors as rights_selectors
from .models import Case, CaseEvent, Category, MediationAgreement, MediationSession, Stage
from .services import cases, checkups, claims
from .workflow import STAGE_WORKDAYS

SEED = 20261123
DEMO_WORKER_PHONE = "13900001111"
PARTNERS = [
    # username, name, partner kind
    ("labour_mediator", "赵建平（县人社局劳动人事争议调解中心）", "labour_bureau"),
    ("court_mediator", "吴文静（县人民法院诉调对接中心）", "court"),
    ("lawyer_mediator", "郑浩（浙江青禾律师事务所）", "lawyer"),
]

# 24 mediated settlements and two arbitration awards: 598,600 + 39,400 = 638,000 yuan recovered.
MEDIATED_TOTAL = Decimal("598600")
AWARDS = [Decimal("21400"), Decimal("18000")]

FACTS = {
    Category.WAGE_ARREARS: ["{months}个月工资共{amount}元未发放，包工头称甲方未结算工程款，多次讨要无果。",
                            "班组{n}人年前工资{amount}元被拖欠，老板失联，只留下欠条。",
                            "离职后公司以各种理由拒发最后{months}个月工资，合计{amount}元。"],
    Category.CONTRACT: ["入职{months}个月未签书面劳动合同，要求支付二倍工资差额{amount}元。"],
    Category.INJURY: ["在车间作业时右手被冲压机压伤，公司不申报工伤，医疗费{amount}元自付。"],
    Category.SOCIAL_INSURANCE: ["公司自入职起未缴纳社会保险，要求补缴并赔偿损失{amount}元。"],
    Category.OVERTIME: ["每天工作12小时、每月休息2天，加班费从未支付，估算{amount}元。"],
    Category.DISMISSAL: ["怀孕后被公司以“岗位调整”为由辞退，要求支付赔偿金{amount}元。",
                         "公司无故解除劳动合同，未支付经济补偿{amount}元。"],
    Category.OCCUPATIONAL_DISEASE: ["在打磨岗位工作{months}年，体检发现尘肺可疑，公司拒绝安排职业病诊断。"],
    Category.OTHER: ["外卖平台站点以“差评”为由每单罚款，{months}个月累计扣款{amount}元。"],
}
CATEGORY_WEIGHTS = [(Category.WAGE_ARREARS, 55), (Category.CONTRACT, 9), (Category.INJURY, 8),
                    (Category.SOCIAL_INSURANCE, 8), (Category.OVERTIME, 7), (Category.DISMISSAL, 8),
                    (Category.OCCUPATIONAL_DISEASE, 2), (Category.OTHER, 3)]

# (final stage, the moves that lead there, how many, how many of them overdue)
PLAN = [
    ("visited", "mediated", 16, 0),
    ("closed", "mediated", 8, 2),
    ("visited", "awarded", 1, 0),
    ("closed", "awarded", 1, 0),
    ("submitted", "", 5, 2),
    ("accepted", "accept", 2, 1),
    ("assigned", "accept assign", 2, 0),
    ("investigating", "accept assign investigate", 3, 1),
    ("mediating", "accept assign investigate mediate", 3, 1),
    ("legal_aid", "accept assign investigate legal_aid", 2, 0),
    ("arbitration", "accept assign investigate arbitration", 2, 0),
    ("litigation", "accept assign investigate mediate litigation", 1, 0),
    ("declined", "decline", 2, 0),
    ("withdrawn", "accept withdraw", 2, 0),
]


class SilentNotifier:
    def send(self, *, phone: str, text: str) -> None:
        return None


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _root() -> Node | None:
    return Node.objects.filter(depth=1, kind=NodeKind.COUNTY, region_code="330524").first()


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger and the members exist."""
    started = time.monotonic()
    with scopes_disabled():
        root = _root()
        if root is None:
            return
        partners = _partners(root)
        if Case.objects.filter(node__path__startswith=root.path).exists():
            _say(stdout, _("Rights: demo cases already loaded."))
            return
        # The demo's invented claimants get no SMS (nor log lines) for each step.
        with transaction.atomic(), override_settings(GONGHUI_NOTIFIER="gonghui.rights.demo.SilentNotifier"):
            loader = _Loader(root, partners)
            loader.claims()
            loader.checkups()
            loader.agreements()
    _say(stdout, _("Rights: %(count)d cases, %(recovered)s yuan recovered; outside mediators %(mediators)s "
                   "(demo password); worker phone %(phone)s (%(seconds).1f s)")
         % {"count": loader.count, "recovered": loader.recovered, "mediators": ", ".join(p[0] for p in PARTNERS),
            "phone": DEMO_WORKER_PHONE, "seconds": time.monotonic() - started})


def _partners(root: Node) -> dict[str, User]:
    """The outside partners' mediator accounts (role mediator at the county: invited cases only)."""
    users = {}
    # The same password as the demo logins printed by ``gonghui demo``: their hash is copied.
    password = User.objects.get(username="county_clerk").password
    for username, name, _kind in PARTNERS:
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username, display_name=name, password=password)
        accounts.grant_role(user=user, node=root, role=Role.MEDIATOR)
        users[username] = user
    return users


class _Loader:
    def __init__(self, root: Node, partners: dict[str, User]):
        self.rng = random.Random(SEED)
        self.root = root
        self.partners = partners
        self.clerk = User.objects.get(username="county_clerk")
        self.handlers = [User.objects.get(username="county_mediator"), self.clerk]
        self.today = timezone.localdate()
        self.employers = list(Employer.objects.filter(node__path__startswith=root.path).select_related("node")
                              .order_by("pk"))
        self.builders = [e for e in self.employers if e.sector in (Sector.CONSTRUCTION, Sector.MANUFACTURING)]
        self.count = 0
        self.recovered = Decimal("0")

    # --- helpers ------------------------------------------------------------------------------------

    def person(self) -> str:
        female = self.rng.random() < 0.35
        given = GIVEN_F if female else GIVEN_M
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(given) for _ in range(self.rng.choice((1, 2))))

    def phone(self) -> str:
        return "1" + self.rng.choice("35789") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def worker(self, phone: str) -> Worker:
        return Worker.objects.get_or_create(phone_hash=blind_index(phone, purpose="phone"),
                                            defaults={"phone": phone})[0]

    def mediated_amounts(self, n: int) -> list[Decimal]:
        amounts = [Decimal(self.rng.randrange(60, 400) * 100) for _ in range(n - 1)]
        last = MEDIATED_TOTAL - sum(amounts)
        assert last > 0
        return [*amounts, last]

    # --- claims and cases ---------------------------------------------------------------------------

    def claims(self) -> None:
        mediated = iter(self.mediated_amounts(24))
        awards = iter(AWARDS)
        demo_phone_uses = 0
        for stage, road, how_many, overdue in PLAN:
            for index in range(how_many):
                category = self.rng.choices([c for c, _w in CATEGORY_WEIGHTS],
                                            [w for _c, w in CATEGORY_WEIGHTS])[0]
                if road in ("mediated", "awarded"):
                    category = Category.WAGE_ARREARS if self.rng.random() < 0.7 else category
                amount = next(mediated) if road == "mediated" else next(awards) if road == "awarded" else None
                use_demo_phone = demo_phone_uses < 3 and stage in ("visited", "mediating", "submitted") and index == 0
                demo_phone_uses += use_demo_phone
                case = self.claim(category, amount, demo_phone=use_demo_phone)
                self.walk(case, road, amount, stage)
                self.backdate(case, overdue=index < overdue)
                self.count += 1

    def claim(self, category: str, amount: Decimal | None, *, demo_phone: bool) -> Case:
        pool = self.builders if category == Category.WAGE_ARREARS and self.builders else self.employers
        employer = self.rng.choice(pool)
        workers = self.rng.choice((1, 1, 1, 2, 3, 5, 8, 12)) if category == Category.WAGE_ARREARS else 1
        claimed = (amount * Decimal(self.rng.choice(("1", "1", "1.1", "1.25"))) if amount is not None
                   else Decimal(self.rng.randrange(30, 600) * 100))
        facts = self.rng.choice(FACTS[category]).format(months=self.rng.randrange(2, 7), n=workers,
                                                        amount=f"{claimed:,.0f}")
        fields = {"category": category, "claimant_name": self.person(), "employer_name": employer.name,
                  "facts": facts, "amount_claimed": claimed if category != Category.OCCUPATIONAL_DISEASE else None,
                  "workers_involved": workers, "parties": ""}
        channel = "phone" if demo_phone else self.rng.choices(["phone", "hotline", "walk_in"], [50, 35, 15])[0]
        if channel == "phone":
            phone = DEMO_WORKER_PHONE if demo_phone else self.phone()
            return claims.file_claim(channel="phone", worker=self.worker(phone), claimant_phone="", **fields)
        return claims.file_claim(channel=channel, node=employer.node, actor=self.clerk,
                                 claimant_phone=self.phone(), **fields)

    def walk(self, case: Case, road: str, amount: Decimal | None, final: str) -> None:
        handler = self.rng.choice(self.handlers)
        if road in ("mediated", "awarded"):
            names = ["accept", "assign", "investigate", "mediate" if road == "mediated" else "arbitration"]
        else:
            names = road.split()
        for name in names:
            extra = {"handler": handler} if name == "assign" else {}
            if name in ("decline", "withdraw"):
                extra["reason"] = ("双方属于承揽关系，不属于劳动争议，已告知向人民法院起诉。" if name == "decline"
                                   else "企业已主动支付，职工撤回诉求。")
            cases.move_case(case=case, name=name, actor=self.clerk, **extra)
            if name == "mediate":
                self.mediation(case, amount)
        if road == "mediated":
            mediator = self.invited
            cases.move_case(case=case, name="close", actor=mediator, outcome="经联合调解达成协议，款项已足额支付。")
        elif road == "awarded":
            cases.move_case(case=case, name="close", actor=self.clerk, amount_recovered=amount,
                       outcome="县劳动人事争议仲裁院裁决支持职工请求，企业已履行。")
        if final == Stage.VISITED:
            cases.move_case(case=case, name="visit", actor=self.clerk, note="电话回访，职工表示款项已到账。",
                       satisfaction=self.rng.choices(["satisfied", "basically", "unsatisfied"], [8, 2, 0.4])[0])
        if case.stage in (Stage.CLOSED, Stage.VISITED):
            self.recovered += case.amount_recovered

    def mediation(self, case: Case, amount: Decimal | None) -> None:
        username = self.rng.choices([p[0] for p in PARTNERS], [6, 3, 2])[0]
        kind = next(p[2] for p in PARTNERS if p[0] == username)
        self.invited = self.partners[username]
        cases.invite_mediator(case=case, actor=self.clerk, mediator=self.invited, partner=kind)
        participants = {"labour_bureau": "县人社局调解员", "court": "县人民法院法官", "lawyer": "工会法律顾问"}[kind] + \
            "、镇（街道）总工会、企业负责人、职工代表"
        place = {"labour_bureau": "县劳动人事争议调解中心", "court": "县人民法院诉调对接中心"}.get(kind) or \
            f"{case.node.name}劳动争议调解室"
        if amount is None:
            cases.record_session(case=case, actor=self.invited, held_on=self.today, place=place,
                                 participants=participants, result="adjourned", notes="企业需核对考勤，择日再调。")
            return
        if self.rng.random() < 0.3:
            cases.record_session(case=case, actor=self.invited, held_on=self.today, place=place,
                                 participants=participants, result="adjourned", notes="双方差距较大，择日再调。")
        cases.record_session(case=case, actor=self.invited, held_on=self.today, place=place,
                             participants=participants, result="agreement")
        cases.record_agreement(case=case, actor=self.invited, signed_on=self.today, amount=amount,
                               terms=f"企业于协议签订之日起十日内一次性支付职工工资等共计{amount:,.0f}元。")

    def backdate(self, case: Case, *, overdue: bool) -> None:
        """Spread the case's steps over the past months; its last step sets the stage deadline."""
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        stage_allowance = STAGE_WORKDAYS.get(case.stage)
        if overdue and stage_allowance:
            last = self.today - datetime.timedelta(days=stage_allowance * 2 + self.rng.randrange(2, 8))
        else:
            # Not overdue: the last step recent enough for the stage's deadline to lie ahead.
            recent = stage_allowance is not None and case.stage != Stage.VISITED
            last = self.today - datetime.timedelta(days=self.rng.randrange(0, 3 if recent else 90))
        span = (len(events) - 1) * self.rng.randrange(3, 8)
        start = last - datetime.timedelta(days=span)
        # Steps in their order: the first on ``start``, the last on ``last``, the others between.
        now = timezone.localtime()
        base = now.replace(year=start.year, month=start.month, day=start.day, hour=8, minute=30, second=0,
                           microsecond=0)
        minutes = sorted(self.rng.randrange(60, max(span * 24 * 60, 120)) for _ in events[1:])
        stamps = [base] + [base + datetime.timedelta(minutes=m) for m in minutes]
        if len(stamps) > 1:
            stamps[-1] = max(stamps[-2] + datetime.timedelta(minutes=30),
                             now.replace(year=last.year, month=last.month, day=last.day, hour=16, minute=10,
                                         second=0, microsecond=0))
        stamps = [min(at, now) for at in stamps]
        for event, at in zip(events, stamps, strict=True):
            CaseEvent.objects.filter(pk=event.pk).update(at=at)
            if event.kind == CaseEvent.Kind.SESSION:
                MediationSession.objects.filter(pk=event.data.get("session")).update(held_on=at.date())
                CaseEvent.objects.filter(pk=event.pk).update(data={**event.data, "held_on": str(at.date())})
            if event.kind == CaseEvent.Kind.AGREEMENT:
                MediationAgreement.objects.filter(case=case).update(signed_on=at.date())
        last = stamps[-1].date()
        due = add_workdays(last, stage_allowance) if stage_allowance is not None else None
        Case.objects.filter(pk=case.pk).update(
            submitted_at=base, stage_since=last, due_on=due, closed_on=last if case.stage == Stage.CLOSED else (
                stamps[-2].date() if case.stage == Stage.VISITED else None))

    # --- check-ups and agreements ----------------------------------------------------------------------

    def checkups(self) -> None:
        items = list(rights_selectors.checklist_items())
        organized = [e for e in self.employers if e.union_id]
        chosen = self.rng.sample(organized, min(14, len(organized)))
        for i, employer in enumerate(chosen):
            visited = self.today - datetime.timedelta(days=self.rng.randrange(5, 200))
            findings = {}
            for item in items:
                risky = self.rng.random() < 0.18
                findings[item.code] = {"result": "risk" if risky else ("na" if self.rng.random() < 0.05 else "ok"),
                                       "note": "抽查发现问题，已当场反馈企业" if risky else "",
                                       "rectify_by": (visited + datetime.timedelta(days=30)).isoformat()}
            checkup = checkups.record_checkup(employer=employer, actor=self.clerk, visited_on=visited,
                                              inspectors="县总工会职工法律服务团、青禾律师事务所 郑浩",
                                              findings=findings, summary="劳动用工法律体检，逐项对照检查。")
            for finding in checkup.findings.filter(result="risk"):
                due = finding.rectify_by
                if due <= self.today and self.rng.random() < 0.7 or i % 3 == 0:
                    checkups.record_rectification(finding=finding, actor=self.clerk,
                                                  rectified_on=min(due, self.today), follow_up="企业已整改，复查通过。")

    def agreements(self) -> None:
        organized = [e for e in self.employers if e.union_id]
        for employer in organized:
            if self.rng.random() > 0.62:
                continue
            signed = self.today - datetime.timedelta(days=self.rng.randrange(30, 1000))
            workers = max(1, int(employer.employee_count * self.rng.uniform(0.85, 1.0)))
            checkups.register_agreement(
                node=employer.union, employer=employer, actor=self.clerk,
                kind=self.rng.choice(["collective", "wage", "wage", "female"]), signed_on=signed,
                term_months=self.rng.choice((12, 24, 36, 36)), workers_covered=workers,
                wage_growth=Decimal(self.rng.randrange(30, 85)) / 10, has_congress=self.rng.random() < 0.8,
                has_open_affairs=self.rng.random() < 0.75)
        for union in Node.objects.filter(path__startswith=self.root.path, kind=NodeKind.INDUSTRY).order_by("path"):
            checkups.register_agreement(node=union, actor=self.clerk, kind="wage",
                                        signed_on=self.today - datetime.timedelta(days=200), term_months=36,
                                        workers_covered=self.rng.randrange(200, 900), wage_growth=Decimal("5.0"),
                                        has_congress=True, has_open_affairs=True)
