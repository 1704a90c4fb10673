"""Demo records of funds for the demo county 青山县; deterministic and safe to run twice.

A three-year plan of the county federation (2025–2027) with five categories; the 2026 budgets;
allocations down the tree (20,000 yuan to each street and township union by rule, socialized
union workers' money, special subsidies for the two mountain townships); a few paid payments;
ten construction projects spread over the seven steps (one taken all the way to the subsidy, one
stopped at the appraisal); and the 2026 call for demonstration township unions, ranked, awarded
and paid. Everything goes through the services, so the ledger chain, the audit log and the
positions created at acceptance are what a real run would leave.
"""

import datetime
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs.models import Node, NodeKind, NodeStatus

from .kinds import ensure_project_kinds
from .models import CategoryKind, Plan, ProjectKind, ProjectState
from .services import allocations, awards, evaluation, ledger, projects

SEED = 10_2026
ROOT_NAME = "青山县总工会"
PLAN_NAME = "青山县基层工会建设三年行动计划"
TOWNS = (NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION)

CATEGORIES = [
    {"name": "社会化工会工作者经费", "kind": CategoryKind.STAFF, "target_amount": "1800000", "target_count": 20,
     "target_unit": "人"},
    {"name": "乡镇（街道）工会经费补助", "kind": CategoryKind.SUBSIDY, "target_amount": "900000"},
    {"name": "边远乡镇专项补助", "kind": CategoryKind.SPECIAL, "target_amount": "300000"},
    {"name": "示范创建以奖代补", "kind": CategoryKind.AWARD, "target_amount": "900000", "target_count": 9,
     "target_unit": "家"},
    {"name": "服务阵地建设", "kind": CategoryKind.CONSTRUCTION, "target_amount": "1500000", "target_count": 30,
     "target_unit": "个"},
]

# title suffix, kind code, the state the project is left in
PROJECTS = [
    ("职工之家建设", "workers_home_new", ProjectState.PAID),
    ("职工书屋建设", "bookroom_new", ProjectState.SUBSIDY_PENDING),
    ("户外劳动者驿站建设", "station_new", ProjectState.ACCEPTED),
    ("职工之家建设", "workers_home_new", ProjectState.COMPLETED),
    ("工会驿站建设", "station_new", ProjectState.IMPLEMENTING),
    ("职工之家建设", "workers_home_new", ProjectState.PUBLICITY),
    ("职工书屋建设", "bookroom_new", ProjectState.APPRAISED),
    ("职工之家建设", "workers_home_new", ProjectState.REVIEWED),
    ("户外劳动者驿站建设", "station_new", ProjectState.APPLIED),
    ("职工之家建设", "workers_home_new", ProjectState.REJECTED),
]
PANEL = [("李建华", "县总工会"), ("周敏", "县财政局"), ("吴国平", "县人力社保局"), ("郑丽", "县总工会经审会")]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _photo(rng: random.Random) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 232, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 120, 440, 300), fill=(200, 60 + rng.randrange(40), 50))
    draw.polygon([(30, 125), (240, 30), (450, 125)], fill=(120, 80, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("施工照片.jpg", out.getvalue(), content_type="image/jpeg")


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger, the members and the positions exist."""
    with scopes_disabled():
        root = Node.objects.filter(name=ROOT_NAME, depth=1).first()
        if root is None or Plan.objects.filter(node=root, name=PLAN_NAME).exists():
            return
        users = {u.username: u for u in User.objects.filter(username__in=[
            "county_admin", "county_clerk", "county_reviewer", "county_finance"])}
        if len(users) < 4:
            return
        _load(root, users, random.Random(SEED), stdout)


def _load(root: Node, users: dict, rng: random.Random, stdout) -> None:
    admin, clerk, reviewer, finance = (users[n] for n in ("county_admin", "county_clerk", "county_reviewer",
                                                           "county_finance"))
    year = timezone.localdate().year
    plan = ledger.create_plan(node=root, actor=finance, name=PLAN_NAME, start_year=year - 1, end_year=year + 1,
                              total="6000000", categories=CATEGORIES)
    cats = {c.kind: c for c in plan.categories.all()}
    budgets = {CategoryKind.STAFF: "600000", CategoryKind.SUBSIDY: "300000", CategoryKind.SPECIAL: "100000",
               CategoryKind.AWARD: "300000", CategoryKind.CONSTRUCTION: "500000"}
    for kind, amount in budgets.items():
        ledger.set_budget(node=root, year=year, category=cats[kind], amount=amount, actor=finance)
    towns = list(Node.objects.filter(path__startswith=root.path, kind__in=TOWNS, status=NodeStatus.ACTIVE)
                 .order_by("path"))
    # "each street and township union 20,000 yuan a year", by rule: prepared by finance, approved by the admin
    def hand_down(order):
        allocations.approve_allocation(actor=admin, order=order)

    hand_down(allocations.prepare_allocation_by_rule(
        actor=finance, from_node=root, node_kind=NodeKind.TOWNSHIP_UNION, amount_each="20000", year=year,
        category=cats[CategoryKind.SUBSIDY], note="年度经费补助"))
    hand_down(allocations.prepare_allocation(
        actor=finance, from_node=root, targets=[(t, "30000") for t in towns], year=year,
        category=cats[CategoryKind.STAFF], note="社会化工会工作者工资补助（上半年）"))
    remote = [t for t in towns if t.kind == NodeKind.TOWNSHIP_FEDERATION]
    if remote:
        hand_down(allocations.prepare_allocation(
            actor=finance, from_node=root, targets=[(t, "40000") for t in remote], year=year,
            category=cats[CategoryKind.SPECIAL], kind="special", note="山区乡镇工会专项补助"))
    # the second half-year's wages: prepared, waiting for the admin's approval on the allocations page
    allocations.prepare_allocation(actor=finance, from_node=root, targets=[(t, "30000") for t in towns[:3]],
                                   year=year, category=cats[CategoryKind.STAFF],
                                   note="社会化工会工作者工资补助（下半年）")
    # townships pay their socialized union workers: prepared by the county clerk, approved by finance
    for town in towns[:4]:
        payment = ledger.prepare_payment(node=town, year=year, category=cats[CategoryKind.STAFF], amount="9600",
                                         payee_name=f"{town.name.removesuffix('总工会')}社会化工会工作者",
                                         purpose="社会化工会工作者一季度工资", actor=clerk)
        ledger.approve_payment(payment=payment, actor=finance)
    _say(stdout, _("Funds: plan, budgets and %(count)d township allocations") % {"count": len(towns)} + "\n")
    _projects(root, cats[CategoryKind.CONSTRUCTION], year, rng, admin, clerk, reviewer, finance)
    _reviews(root, towns, year, rng, admin, reviewer)
    _awards(root, towns, cats[CategoryKind.AWARD], year, rng, admin, finance)
    _fieldwork(root, towns, year, rng, admin, clerk)
    _say(stdout, _("Funds: ten construction projects across the seven steps, one award cycle, chair reviews, "
                   "field work") + "\n")


def _projects(root, category, year, rng, admin, clerk, reviewer, finance) -> None:
    grassroots = list(Node.objects.filter(path__startswith=root.path, kind__in=(
        NodeKind.ENTERPRISE, NodeKind.VILLAGE_FEDERATION, NodeKind.NEW_EMPLOYMENT, NodeKind.PARK_JOINT),
        status=NodeStatus.ACTIVE).order_by("path"))
    if not grassroots:
        return
    chosen = rng.sample(grassroots, min(len(PROJECTS), len(grassroots)))
    ensure_project_kinds()
    kinds = {k.code: k for k in ProjectKind.objects.all()}
    for node, (suffix, code, until) in zip(chosen, PROJECTS, strict=False):
        kind = kinds[code]
        subsidy = min(kind.max_subsidy, rng.choice([20000, 30000, 40000, 50000]))
        budget = subsidy * 2 + rng.randrange(5, 30) * 1000
        lat = node.latitude or root.latitude or 30.63
        lng = node.longitude or root.longitude or 119.79
        project = projects.apply_for_project(
            node=node, actor=clerk, kind=kind, title=f"{node.short_name or node.name.removesuffix('工会')}{suffix}",
            year=year, category=category, reviewer_node=root, address=node.address or f"{node.region_name}",
            area_sqm=rng.randrange(60, 400), lat=lat, lng=lng, budget_total=budget, subsidy_requested=subsidy,
            description="按照“四有”标准改造活动场所，配置阅览、健身、休息设施，建立管理制度和活动计划。")
        _advance(project, until, rng, admin, clerk, reviewer, finance)


def _advance(project, until, rng, admin, clerk, reviewer, finance) -> None:
    order = [ProjectState.APPLIED, ProjectState.REVIEWED, ProjectState.APPRAISED, ProjectState.PUBLICITY,
             ProjectState.IMPLEMENTING, ProjectState.COMPLETED, ProjectState.ACCEPTED,
             ProjectState.SUBSIDY_PENDING, ProjectState.PAID]
    if until == ProjectState.REJECTED:
        projects.pass_review(project=project, actor=reviewer, comment="材料齐全，符合申报条件")
        for name, unit in PANEL[:3]:
            projects.record_score(project=project, actor=reviewer, panelist=name, affiliation=unit,
                                  score=str(rng.randrange(52, 66)), comment="选址偏远，服务覆盖面小")
        projects.conclude_appraisal(project=project, actor=reviewer)
        return
    today = timezone.localdate()
    start = today - datetime.timedelta(days=40)
    while order.index(project.state) < order.index(until):
        state = project.state
        if state == ProjectState.APPLIED:
            projects.pass_review(project=project, actor=reviewer, comment="材料齐全，符合申报条件")
        elif state == ProjectState.REVIEWED:
            for name, unit in PANEL[: 2 if until == ProjectState.REVIEWED else 4]:
                projects.record_score(project=project, actor=reviewer, panelist=name, affiliation=unit,
                                      score=str(rng.randrange(76, 95)), comment="建设方案可行，预算合理")
            if until == ProjectState.REVIEWED:
                return
            projects.conclude_appraisal(project=project, actor=reviewer)
        elif state == ProjectState.APPRAISED:
            on = today if until == ProjectState.PUBLICITY else start
            projects.start_publicity(project=project, actor=reviewer, on=on)
            objection = projects.file_objection(project=project, actor=reviewer, raised_by="职工来电",
                                                text="活动室面积是否达标？", on=on)
            projects.answer_objection(objection=objection, actor=reviewer, upheld=False,
                                      answer="经现场核实，活动室面积符合标准。")
        elif state == ProjectState.PUBLICITY:
            projects.approve_project(project=project, actor=reviewer)
        elif state == ProjectState.IMPLEMENTING:
            projects.report_progress(project=project, actor=clerk, percent=50, text="完成场地改造和水电布线",
                                     spent=project.budget_total / 2, on=start + datetime.timedelta(days=15),
                                     photos=[_photo(rng)])
            if until == ProjectState.IMPLEMENTING:
                return
            projects.report_progress(project=project, actor=clerk, percent=100, text="设施设备安装到位，制度上墙",
                                     spent=project.budget_total, on=start + datetime.timedelta(days=30),
                                     photos=[_photo(rng)])
            projects.complete_project(project=project, actor=clerk)
        elif state == ProjectState.COMPLETED:
            projects.accept_project(project=project, actor=admin, checklist={i: True for i in project.kind.standard},
                            notes="经现场验收，达到建设标准")
        elif state == ProjectState.ACCEPTED:
            projects.request_subsidy(project=project, actor=admin)
        elif state == ProjectState.SUBSIDY_PENDING:
            ledger.approve_payment(payment=project.payments.get(status="prepared"), actor=finance)
        project.refresh_from_db()


def _awards(root, towns, category, year, rng, admin, finance) -> None:
    if len(towns) < 4:
        return
    call = awards.create_call(
        node=root, actor=admin, year=year, title=f"{year}年度示范乡镇（街道）工会创建评选", category=category,
        indicators=[{"name": "组织建设", "max": 30},
                    {"name": "会员发展", "max": 20, "indicator": "members.total", "target": "1500"},  # from statistics
                    {"name": "服务阵地", "max": 25}, {"name": "维权服务", "max": 25}],
        quotas=[{"name": "示范乡镇（街道）工会", "quota": 3, "reward": "50000"}])
    quota = call.quotas.get()
    nominations = [awards.nominate_for_award(quota=quota, node=town, actor=admin,
                                   statement="组织体系健全，会员实名制入会率高，服务阵地覆盖全域。")
                   for town in towns[:6]]
    awards.close_nominations(call=call, actor=admin)
    for nomination in nominations:
        for scorer in ("县总工会组织部", "县总工会经审办"):
            awards.score_nomination(nomination=nomination, actor=admin, scorer=scorer, marks={
                "组织建设": rng.randrange(20, 30), "服务阵地": rng.randrange(15, 25), "维权服务": rng.randrange(15, 25)})
    call = awards.rank_nominations(call=call, actor=admin, on=timezone.localdate() - datetime.timedelta(days=30))
    awards.grant_awards(call=call, actor=admin)
    for payment in awards.pay_rewards(call=call, actor=admin):
        ledger.approve_payment(payment=payment, actor=finance)


CHAIRS = ["陈立新", "王海", "赵丽萍", "孙建军", "钱红", "周国强", "吴晓燕", "郑明", "冯秀英", "褚志刚"]


def _reviews(root, towns, year, rng, admin, reviewer) -> None:
    """This year's round of the township chairs' reports, scored by three reviewers and closed."""
    round_ = evaluation.create_round(node=root, actor=admin, year=year, title=f"{year}年度乡镇（街道）工会主席述职评议",
                                     indicators=[{"name": "履职尽责", "weight": 30}, {"name": "组织建设", "weight": 25},
                                                 {"name": "服务职工", "weight": 25}, {"name": "作风建设", "weight": 20}])
    for town, chair in zip(towns, CHAIRS, strict=False):
        report = evaluation.submit_report(round_=round_, node=town, actor=admin, chair_name=chair,
                                          text=f"一年来，{town.name}坚持党建带工建，推进会员实名制和服务阵地建设，"
                                               "开展职工技能竞赛和困难职工帮扶……")
        base = rng.randrange(62, 92)
        for who in ("县总工会领导班子", "乡镇党委代表", "职工代表"):
            evaluation.score_report(report=report, actor=reviewer, reviewer=who, marks={
                name: min(100, base + rng.randrange(0, 9)) for name in ("履职尽责", "组织建设", "服务职工", "作风建设")})
    evaluation.close_round(round_=round_, actor=reviewer)


OPINIONS = [("职工子女暑期托管难", "联合团县委开办暑期爱心托管班"), ("户外劳动者喝水歇脚难", "在加油站、环卫所增设工会驿站"),
            ("新就业形态劳动者入会渠道不畅", "开通扫码入会并上门集中入会"), ("企业拖欠工资苗头", "联合人社部门约谈企业，督促按时支付"),
            ("职工书屋图书陈旧", "协调县图书馆定期配送图书")]


def _fieldwork(root, towns, year, rng, admin, clerk) -> None:
    """Two work groups of the county staying in townships: visits, opinions, problems, measures."""
    today = timezone.localdate()
    for number, stay in enumerate((towns[:3], towns[3:6]), start=1):
        group = evaluation.create_group(node=root, actor=admin, year=year, name=f"县总工会第{number}蹲点工作组",
                                        leader=("李建华", "周敏")[number - 1], members="组织部、权益保障部干部各1名")
        for town in stay:
            visit = evaluation.record_visit(group=group, node=town, actor=clerk,
                                            on=today - datetime.timedelta(days=rng.randrange(20, 90)),
                                            opinions=rng.randrange(12, 30),
                                            notes="召开职工座谈会，走访企业和户外劳动者服务站点")
            for problem_text, measure_text in rng.sample(OPINIONS, 2):
                problem = evaluation.record_problem(visit=visit, actor=clerk, text=problem_text)
                if rng.random() < 0.8:
                    evaluation.take_measure(problem=problem, actor=clerk, text=measure_text,
                                            difficulties_solved=rng.randrange(2, 12), on=visit.on,
                                            solved=rng.random() < 0.7)
