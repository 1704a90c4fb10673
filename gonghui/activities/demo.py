"""Demo records of activities for the demo county; deterministic and safe to run twice.

- The coming term (e.g. 2026年秋季, named after its first day) of 50 free courses at the county workers' cultural palace (the
  position the positions demo made; else the first worker's home): dance, vocal, photography,
  flower arranging, go, tea art, calligraphy …, most open with seats taken, some sold out with a
  waiting list, some opening tomorrow at 9:00;
- the term before it (half a year earlier), over: its courses with bookings, check-ins at every session
  and the students' ratings and comments (学员评价);
- a job fair, a skills contest, lectures, a legal micro-class, a matchmaking social and township
  classes, written through the services;
- volunteer teams (劳模工匠志愿者服务队) of roster members with a year of services and hours, one
  linked to a volunteer-service activity, and last year's commendation list.

Speed: the terms, the commendation list and the special activities go through the services
(checked and audited); the courses, bookings, check-ins, ratings, volunteers and hours are
inserted in bulk with the counters (seats taken, waiting, term holdings) they imply.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User, Worker
from gonghui.core.crypto import blind_index
from gonghui.core.scoping import scopes_disabled
from gonghui.members.models import Member, MemberStatus
from gonghui.orgs.models import Node, NodeKind
from gonghui.positions.models import Position, PositionKind

from .models import (
    Activity,
    Attendance,
    Booking,
    BookingState,
    Honour,
    Kind,
    Rating,
    ServiceHours,
    Session,
    State,
    TeamService,
    Term,
    TermHolding,
    Volunteer,
    VolunteerTeam,
)
from .services import catalogue, volunteers

PALACE = "青山县职工文化宫"
# title, room, weekday (0 = Monday), hour, seats, sessions: fifty courses of the spring term.
COURSES = [
    ("拉丁舞入门班", "三楼舞蹈室", 0, 19, 30, 8), ("拉丁舞提高班", "三楼舞蹈室", 3, 19, 24, 8),
    ("民族舞提高班", "三楼舞蹈室", 2, 19, 30, 8), ("古典舞形体班", "三楼形体室", 4, 18, 24, 8),
    ("街舞（成人）班", "三楼舞蹈室", 5, 15, 20, 8), ("交谊舞班", "一楼多功能厅", 6, 19, 40, 8),
    ("广场舞（健身操）班", "一楼多功能厅", 1, 18, 40, 8), ("声乐基础班", "二楼音乐教室", 1, 19, 25, 10),
    ("声乐提高班", "二楼音乐教室", 4, 19, 20, 10), ("合唱团（混声）", "二楼音乐教室", 3, 19, 40, 10),
    ("戏曲（越剧）兴趣班", "二楼排练厅", 6, 14, 20, 8), ("口琴入门班", "二楼音乐教室", 0, 18, 25, 6),
    ("古筝入门班", "二楼音乐教室", 6, 9, 15, 10), ("葫芦丝班", "二楼音乐教室", 4, 18, 25, 8),
    ("吉他弹唱班", "二楼音乐教室", 2, 19, 20, 8), ("非洲鼓班", "一楼多功能厅", 4, 19, 20, 6),
    ("摄影入门班", "四楼影像工作室", 2, 19, 20, 6), ("摄影后期（修图）班", "四楼电脑室", 3, 19, 20, 6),
    ("手机摄影与短视频", "四楼影像工作室", 5, 9, 30, 6), ("短视频剪辑班", "四楼电脑室", 6, 14, 20, 6),
    ("插花艺术班", "二楼手工坊", 3, 19, 20, 6), ("花艺进阶班", "二楼手工坊", 6, 9, 16, 6),
    ("围棋入门班", "五楼棋艺室", 5, 14, 24, 8), ("围棋提高班", "五楼棋艺室", 6, 14, 20, 8),
    ("象棋班", "五楼棋艺室", 1, 19, 24, 8), ("茶艺班", "二楼茶艺室", 4, 19, 16, 6),
    ("评茶员（初级）班", "二楼茶艺室", 5, 9, 16, 6), ("书法（硬笔）班", "五楼书画室", 0, 19, 30, 8),
    ("书法（毛笔）班", "五楼书画室", 2, 19, 24, 8), ("国画（花鸟）班", "五楼书画室", 6, 9, 20, 8),
    ("素描基础班", "五楼书画室", 5, 14, 20, 8), ("剪纸艺术班", "二楼手工坊", 1, 19, 20, 6),
    ("布艺编织班", "二楼手工坊", 0, 19, 16, 6), ("烘焙体验课", "二楼手工坊", 5, 14, 16, 4),
    ("中式面点班", "一楼培训厨房", 6, 9, 16, 4), ("家常菜烹饪班", "一楼培训厨房", 2, 18, 16, 4),
    ("瑜伽班", "三楼形体室", 2, 18, 25, 10), ("普拉提班", "三楼形体室", 0, 18, 20, 10),
    ("太极拳班", "一楼多功能厅", 6, 8, 40, 8), ("八段锦班", "一楼多功能厅", 3, 7, 40, 8),
    ("乒乓球培训班", "地下一层乒乓球馆", 1, 19, 24, 8), ("羽毛球培训班", "体育馆", 3, 19, 24, 8),
    ("游泳（成人）班", "游泳馆", 5, 10, 20, 8), ("职工心理健康讲堂", "六楼报告厅", 3, 19, 80, 4),
    ("急救技能（AED）培训", "六楼报告厅", 5, 9, 60, 1), ("电工技能提升班", "六楼实训室", 1, 19, 30, 10),
    ("办公软件（Excel）班", "四楼电脑室", 0, 19, 30, 6), ("英语口语班", "六楼教室", 4, 19, 25, 10),
    ("亲子阅读课", "五楼职工书屋", 6, 10, 30, 4), ("家庭理财讲座", "六楼报告厅", 2, 19, 80, 1),
]
SOLD_OUT = {"茶艺班", "烘焙体验课", "插花艺术班", "拉丁舞入门班", "围棋入门班", "游泳（成人）班"}
OPENING_TOMORROW = {"古筝入门班", "国画（花鸟）班", "非洲鼓班", "葫芦丝班", "吉他弹唱班", "短视频剪辑班"}
PAST_COURSES = ["拉丁舞入门班", "声乐基础班", "摄影入门班", "插花艺术班", "围棋入门班", "茶艺班",
                "书法（硬笔）班", "瑜伽班", "太极拳班", "合唱团（混声）", "烘焙体验课", "手机摄影与短视频"]
COMMENTS = ["老师很耐心，讲得很细，收获很大。", "课程安排合理，下班后来上课正好。", "希望下学期继续开班！",
            "场地有点小，人多的时候转不开。", "内容很实用，回家就用上了。", "时间有点短，意犹未尽。",
            "工会组织得好，免费学到了本事。", "希望能增加周末班。", "", "", ""]
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def term_name(day: datetime.date) -> str:
    """2026年春季 for a term starting January–June, 2026年秋季 for July–December."""
    return f"{day.year}年{'春季' if day.month <= 6 else '秋季'}"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _workers(n: int) -> list[Worker]:
    """Demo workers 1580571xxxx, made in bulk where missing."""
    phones = [f"1580571{i:04d}" for i in range(n)]
    hashes = {blind_index(p, purpose="phone"): p for p in phones}
    have = {w.phone_hash: w for w in Worker.objects.filter(phone_hash__in=list(hashes))}
    Worker.objects.bulk_create([Worker(phone=p, phone_hash=h) for h, p in hashes.items() if h not in have])
    have = {w.phone_hash: w for w in Worker.objects.filter(phone_hash__in=list(hashes))}
    return [have[h] for h in hashes]


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger, the members and the positions exist."""
    with scopes_disabled():
        root = Node.objects.filter(depth=1).order_by("path").first()
        actor = User.objects.filter(username="county_clerk").first()
        if root is None or actor is None or Term.objects.filter(node=root).exists():
            return
        _Loader(root, actor).run(stdout)


class _Loader:
    def __init__(self, root, actor):
        self.root, self.actor = root, actor
        self.rng = random.Random(20261123)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.venue = (Position.objects.filter(node=root, kind=PositionKind.CULTURAL_PALACE).first()
                      or Position.objects.filter(node__path__startswith=root.path,
                                                 kind=PositionKind.WORKERS_HOME).order_by("id").first())
        self.people = _workers(800)
        self.names = [self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(("", "华", "英", "红", "东"))
                      for _ in self.people]

    def run(self, stdout) -> None:
        monday = self.today + datetime.timedelta(days=7 - self.today.weekday() + 7)  # classes start in two weeks
        # The term before began 26 weeks earlier: more than half a year apart, so in the other half.
        past_monday = monday - datetime.timedelta(weeks=28)
        coming = catalogue.create_term(node=self.root, actor=self.actor, name=term_name(monday), per_person_limit=2)
        before = catalogue.create_term(node=self.root, actor=self.actor, name=term_name(past_monday), per_person_limit=2)
        courses = self._spring(coming, monday)
        past, ratings = self._autumn(before, past_monday)
        specials = self._specials(monday)
        service_activity = self._volunteer_activity()
        teams, hours = self._teams(service_activity)
        self._commendation()
        if stdout is not None:
            stdout.write(_("Activities: %(courses)d courses of %(term)s, %(past)d of %(before)s with %(ratings)d "
                           "ratings, %(specials)d other activities, %(teams)d volunteer teams with %(hours)s hours")
                         % {"courses": courses, "term": coming.name, "past": past, "before": before.name,
                            "ratings": ratings, "specials": specials, "teams": teams, "hours": hours} + "\n")

    # --- courses and bookings, in bulk --------------------------------------------------------------

    def _course(self, term, spec, start, *, opens, state) -> Activity:
        title, room, _weekday, _hour, seats, sessions = spec
        return Activity(
            node=self.root, term=term, kind=Kind.COURSE if sessions > 1 else Kind.LECTURE, title=title,
            description=f"县总工会{term.name}职工公益课程，免费参加，每人本学期限报{term.per_person_limit}门。",
            audience="all", venue_text=f"{PALACE}{room}" if self.venue is None or self.venue.name == PALACE
            else f"{self.venue.name}{room}", venue=self.venue, starts_at=start,
            ends_at=start + datetime.timedelta(minutes=90), capacity=seats, signup_opens_at=opens,
            signup_closes_at=start - datetime.timedelta(days=1), waitlist_mode="offer", offer_hours=24,
            state=state, published_at=opens - datetime.timedelta(days=3), created_by=self.actor)

    def _book(self, term, activities: list[Activity], plan: dict[int, tuple[int, int]]) -> list[Booking]:
        """Seats and waiting lists by ``plan`` (activity index → booked, waiting), at most the
        term's limit of seats per person; counters and holdings set to match."""
        held: dict[int, int] = {}
        cursor = self.rng.randrange(len(self.people))
        bookings = []
        for i, activity in enumerate(activities):
            booked, waiting = plan.get(i, (0, 0))
            seen = set()
            for n in range(booked + waiting):
                for _try in range(len(self.people)):
                    cursor = (cursor + 1) % len(self.people)
                    worker = self.people[cursor]
                    if worker.pk not in seen and held.get(worker.pk, 0) < term.per_person_limit:
                        break
                seen.add(worker.pk)
                at = activity.signup_opens_at + datetime.timedelta(seconds=n * self.rng.randint(1, 40))
                if n < booked:
                    held[worker.pk] = held.get(worker.pk, 0) + 1
                    bookings.append(Booking(activity=activity, worker=worker, name=self.names[cursor],
                                            state=BookingState.BOOKED, booked_at=at))
                else:
                    bookings.append(Booking(activity=activity, worker=worker, name=self.names[cursor],
                                            state=BookingState.WAITING, queue_key=n - booked + 1))
            activity.taken, activity.waiting = booked, waiting
        Activity.objects.bulk_update(activities, ["taken", "waiting"])
        Booking.objects.bulk_create(bookings, batch_size=500)
        TermHolding.objects.bulk_create([TermHolding(term=term, worker_id=w, held=h) for w, h in held.items()])
        return bookings

    def _sessions(self, activities: list[Activity], specs) -> list[Session]:
        week = datetime.timedelta(weeks=1)
        rows = [Session(activity=a, number=n + 1, starts_at=a.starts_at + n * week, ends_at=a.ends_at + n * week)
                for a, spec in zip(activities, specs, strict=True) for n in range(spec[5])]
        return Session.objects.bulk_create(rows, batch_size=500)

    def _spring(self, term, monday) -> int:
        opened = _at(self.today - datetime.timedelta(days=2), 9)
        tomorrow_nine = _at(self.today + datetime.timedelta(days=1), 9)
        activities = [self._course(term, spec, _at(monday + datetime.timedelta(days=spec[2]), spec[3]),
                                   opens=tomorrow_nine if spec[0] in OPENING_TOMORROW else opened,
                                   state=State.PUBLISHED) for spec in COURSES]
        for a in activities:
            a.published_at = min(a.published_at, self.now)
        activities = Activity.objects.bulk_create(activities)
        self._sessions(activities, COURSES)
        plan = {}
        for i, (title, *_rest) in enumerate(COURSES):
            seats = COURSES[i][4]
            if title in OPENING_TOMORROW:
                continue
            plan[i] = ((seats, self.rng.randint(3, 6)) if title in SOLD_OUT
                       else (self.rng.randint(seats // 4, seats * 3 // 4), 0))
        self._book(term, activities, plan)
        return len(activities)

    def _autumn(self, term, first_monday) -> tuple[int, int]:
        """The term before, over: everyone booked, check-ins at most sessions, ratings."""
        specs = [spec for spec in COURSES if spec[0] in PAST_COURSES]
        activities = []
        for spec in specs:
            start = _at(first_monday + datetime.timedelta(days=spec[2]), spec[3])
            a = self._course(term, spec, start, opens=start - datetime.timedelta(days=14), state=State.CLOSED)
            a.closed_at = start - datetime.timedelta(days=1)
            activities.append(a)
        activities = Activity.objects.bulk_create(activities)
        sessions = self._sessions(activities, specs)
        plan = {i: (max(spec[4] - self.rng.randint(0, 3), 1), 0) for i, spec in enumerate(specs)}
        bookings = self._book(term, activities, plan)
        by_activity: dict[int, list[Session]] = {}
        for s in sessions:
            by_activity.setdefault(s.activity_id, []).append(s)
        attendance, ratings = [], []
        for b in bookings:
            came = [s for s in by_activity[b.activity_id] if self.rng.random() < 0.85]
            attendance += [Attendance(booking=b, session=s, by=self.actor) for s in came]
            if came and self.rng.random() < 0.7:
                ratings.append(Rating(activity_id=b.activity_id, booking=b, worker_id=b.worker_id,
                                      score=self.rng.choices((5, 4, 3, 2), weights=(6, 4, 1, 0.3))[0],
                                      comment=self.rng.choice(COMMENTS)))
        Attendance.objects.bulk_create(attendance, batch_size=1000)
        Rating.objects.bulk_create(ratings, batch_size=500)
        for a in activities:  # rated in the days after the first session, checked in as each session began
            Rating.objects.filter(activity=a).update(created_at=a.ends_at + datetime.timedelta(days=self.rng.randint(1, 6)))
        for s in sessions:
            Attendance.objects.filter(session=s).update(at=s.starts_at)
        return len(activities), len(ratings)

    # --- other activities, through the services -----------------------------------------------------------

    def _specials(self, monday) -> int:
        towns = list(Node.objects.filter(path__startswith=self.root.path, depth=2,
                                         kind__in=(NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION))
                     .order_by("path")[:4])
        root = self.root
        specials = [
            (root, "fair", "2026年“春风行动”职工招聘会", f"{PALACE}一楼大厅", 500, "all", self.venue),
            (root, "fair", "新就业形态劳动者专场招聘会", f"{PALACE}一楼大厅", 300, "all", self.venue),
            (root, "contest", "青山县第五届职工技能大赛（电工）", "青山县技工学校实训楼", 60, "members", None),
            (root, "contest", "青山县职工技能大赛（茶艺师）", f"{PALACE}二楼茶艺室", 40, "members", self.venue),
            (root, "lecture", "劳模工匠讲堂：精益求精的匠心", f"{PALACE}六楼报告厅", 150, "all", self.venue),
            (root, "lecture", "职工健康讲座：颈椎与腰椎保健", f"{PALACE}六楼报告厅", 120, "all", self.venue),
            (root, "legal_class", "法律微课堂：劳动合同那些事", f"{PALACE}六楼报告厅", 100, "all", self.venue),
            (root, "matchmaking", "“缘聚青山”单身职工联谊会", "青山湖景区游客中心", 80, "members", None),
        ]
        for town in towns:
            short = town.name[:4]
            specials.append((town, "course", f"{short}职工之家书法班", f"{short}职工之家活动室", 20, "members", None))
            specials.append((town, "culture", f"{short}职工趣味运动会", f"{short}文体中心", 120, "members", None))
        for i, (node, kind, title, venue_text, seats, audience, venue) in enumerate(specials):
            start = _at(monday + datetime.timedelta(days=i % 6), 14)
            activity = catalogue.create_activity(
                node=node, actor=self.actor, kind=kind, title=title, audience=audience, venue_text=venue_text,
                venue=venue, starts_at=start, ends_at=start + datetime.timedelta(hours=3), capacity=seats,
                signup_opens_at=_at(self.today - datetime.timedelta(days=1), 9),
                signup_closes_at=start - datetime.timedelta(hours=12))
            catalogue.publish_activity(activity=activity, actor=self.actor)
        return len(specials)

    def _volunteer_activity(self) -> Activity:
        """Last month's 学雷锋 volunteer-service day, held (inserted as it stands today)."""
        start = _at(self.today - datetime.timedelta(days=30), 9)
        activity = Activity.objects.create(
            node=self.root, kind=Kind.VOLUNTEER, title="“学雷锋”劳模工匠志愿服务日", audience="members",
            venue_text="青山县人民广场", starts_at=start, ends_at=start + datetime.timedelta(hours=4), capacity=60,
            signup_opens_at=start - datetime.timedelta(days=10), signup_closes_at=start - datetime.timedelta(days=1),
            state=State.CLOSED, published_at=start - datetime.timedelta(days=11), closed_at=start,
            created_by=self.actor)
        Session.objects.create(activity=activity, number=1, starts_at=activity.starts_at, ends_at=activity.ends_at)
        return activity

    # --- volunteer teams, services and hours ----------------------------------------------------------------

    def _teams(self, service_activity) -> tuple[int, Decimal]:
        towns = list(Node.objects.filter(path__startswith=self.root.path, depth=2,
                                         kind__in=(NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION))
                     .order_by("path")[:3])
        specs = [(self.root, "青山县劳模工匠志愿者服务队", "送技术、送服务进企业进社区，技能帮带青年职工。", 14)]
        specs += [(t, f"{t.name[:4]}职工志愿服务队", "敬老助残、环境整治、防汛值守。", 10) for t in towns]
        services = [("送技术进企业", "青山经济开发区"), ("敬老院义务维修", "县社会福利中心"), ("社区义诊", "城关街道社区服务中心"),
                    ("防汛值守", "青溪堤防"), ("义务植树", "青山湖"), ("技能帮带青年职工", "县技工学校"),
                    ("环境整治志愿服务", "老城区"), ("关爱留守儿童", "竹源乡中心小学")]
        teams, volunteers_all, records = [], [], []
        used: set[int] = set()
        start_day = self.today - datetime.timedelta(days=600)
        for node, name, what, size in specs:
            pool = [m for m in Member.objects.filter(node__path__startswith=node.path, status=MemberStatus.ACTIVE)
                    .order_by("id")[:200] if m.pk not in used][:size]
            if not pool:
                continue
            team = VolunteerTeam.objects.create(node=node, name=name, description=what, leader=pool[0],
                                                founded_on=start_day - datetime.timedelta(days=60), created_by=self.actor)
            teams.append(team)
            crew = Volunteer.objects.bulk_create([
                Volunteer(team=team, member=m, joined_on=start_day,
                          honour=(Honour.MODEL_WORKER if i % 5 == 0 else Honour.CRAFTSMAN if i % 3 == 0
                                  else Honour.VOLUNTEER)) for i, m in enumerate(pool)])
            used.update(m.pk for m in pool)
            volunteers_all.append(crew)
            count = 14 if node == self.root else 9
            for k in range(count):
                title, place = services[(k + len(teams)) % len(services)]
                on = start_day + datetime.timedelta(days=20 + k * (560 // count) + self.rng.randint(0, 10))
                records.append((team, crew, TeamService(team=team, title=title, place=place, on=min(on, self.today),
                                                        created_by=self.actor)))
        if teams:
            on = timezone.localdate(service_activity.starts_at)
            records.append((teams[0], volunteers_all[0], TeamService(
                team=teams[0], activity=service_activity, title=service_activity.title,
                place=service_activity.venue_text, on=on, created_by=self.actor)))
        made = TeamService.objects.bulk_create([r[2] for r in records])
        hours = []
        for (_team, crew, _s), service in zip(records, made, strict=True):
            for v in self.rng.sample(crew, k=max(2, len(crew) * 2 // 3)):
                hours.append(ServiceHours(service=service, volunteer=v,
                                          hours=Decimal(self.rng.choice(("1.5", "2", "2.5", "3", "4")))))
        ServiceHours.objects.bulk_create(hours, batch_size=1000)
        return len(teams), sum((h.hours for h in hours), Decimal("0"))

    def _commendation(self) -> None:
        """Last year's list: a township union, two teams and the five volunteers with the most hours."""
        year = self.today.year - 1
        teams = list(VolunteerTeam.objects.filter(node__path__startswith=self.root.path).order_by("id")[:2])
        if not teams:
            return
        from . import selectors

        admin = User.objects.filter(username="county_admin").first() or self.actor
        listing = volunteers.create_commendation(
            node=self.root, actor=admin, year=year, title=f"{year}年度劳模工匠志愿服务先进表彰",
            basis=f"青山县总工会〔{year + 1}〕3号：全年志愿服务累计10小时以上、服务对象评价良好。")
        for team in teams[1:]:
            volunteers.add_entry(commendation=listing, actor=admin, kind="unit", unit=team.node,
                                 citation="组织职工志愿服务常态化，服务时长全县领先。")
        for team in teams:
            volunteers.add_entry(commendation=listing, actor=admin, kind="collective", team=team,
                                 citation="常年开展送技术进企业、敬老助残等志愿服务。")
        for v in selectors.top_volunteers(node=self.root, year=year, limit=5):
            volunteers.add_entry(commendation=listing, actor=admin, kind="volunteer", volunteer=v)
