"""Demo records of activities for the demo county; deterministic and safe to run twice.

A spring term of free courses at the county workers' cultural palace (some sold out with a
waiting list, some opening tomorrow at 9:00), courses at township workers' homes, and a job fair,
a skills contest, a legal micro-class and a matchmaking social. Everything goes through the
services: sign-ups take seats by the same conditional update as the rush.
"""

import datetime
import random

from django.utils import timezone

from gonghui.accounts.models import User, Worker
from gonghui.core.crypto import blind_index
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs.models import Node, NodeKind

from .models import Activity, Term
from .services import catalogue, signup

TERM = "2026年春季"
PALACE = "青山县职工文化宫"
COURSES = [  # title, room, weekday (0 = Monday), hour, seats, sessions
    ("拉丁舞入门班", "三楼舞蹈室", 0, 19, 30, 8), ("民族舞提高班", "三楼舞蹈室", 2, 19, 30, 8),
    ("广场舞（健身操）班", "一楼多功能厅", 1, 18, 40, 8), ("声乐基础班", "二楼音乐教室", 1, 19, 25, 10),
    ("合唱团（混声）", "二楼音乐教室", 3, 19, 40, 10), ("摄影入门班", "四楼影像工作室", 2, 19, 20, 6),
    ("手机摄影与短视频", "四楼影像工作室", 5, 9, 30, 6), ("插花艺术班", "二楼手工坊", 3, 19, 20, 6),
    ("围棋入门班", "五楼棋艺室", 5, 14, 24, 8), ("茶艺班", "二楼茶艺室", 4, 19, 16, 6),
    ("书法（硬笔）班", "五楼书画室", 0, 19, 30, 8), ("国画（花鸟）班", "五楼书画室", 6, 9, 20, 8),
    ("瑜伽班", "三楼形体室", 2, 18, 25, 10), ("太极拳班", "一楼多功能厅", 6, 8, 40, 8),
    ("烘焙体验课", "二楼手工坊", 5, 14, 16, 4), ("古筝入门班", "二楼音乐教室", 6, 14, 15, 10),
    ("葫芦丝班", "二楼音乐教室", 4, 19, 25, 8), ("非洲鼓班", "一楼多功能厅", 4, 19, 20, 6),
    ("职工心理健康讲堂", "六楼报告厅", 3, 19, 80, 4), ("急救技能（AED）培训", "六楼报告厅", 5, 9, 60, 1),
]
SOLD_OUT = {"茶艺班", "烘焙体验课", "插花艺术班"}
OPENING_TOMORROW = {"古筝入门班", "国画（花鸟）班", "非洲鼓班", "葫芦丝班"}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _workers(n: int) -> list[Worker]:
    out = []
    for i in range(n):
        phone = f"1580571{i:04d}"
        h = blind_index(phone, purpose="phone")
        out.append(Worker.objects.filter(phone_hash=h).first() or Worker.objects.create(phone=phone, phone_hash=h))
    return out


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger and the members exist."""
    with scopes_disabled():
        root = Node.objects.filter(depth=1).order_by("path").first()
        actor = User.objects.filter(username="county_clerk").first()
        if root is None or actor is None or Term.objects.filter(node=root, name=TERM).exists():
            return
        _load(root, actor, stdout)


def _load(root, actor, stdout) -> None:
    rng = random.Random(20261123)
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=7 - today.weekday() + 7)  # classes start in two weeks
    term = catalogue.create_term(node=root, actor=actor, name=TERM, per_person_limit=2)
    people = _workers(260)
    names = [rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林") + rng.choice("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚")
             + rng.choice(("", "华", "英", "红", "东", "梅")) for _ in people]
    cursor = 0
    made = 0
    for title, room, weekday, hour, seats, sessions in COURSES:
        start = _at(monday + datetime.timedelta(days=weekday), hour)
        tomorrow_nine = _at(today + datetime.timedelta(days=1), 9)
        opens = tomorrow_nine if title in OPENING_TOMORROW else _at(today - datetime.timedelta(days=2), 9)
        activity = catalogue.create_activity(
            node=root, actor=actor, sessions=sessions, term=term, kind="course" if sessions > 1 else "lecture",
            title=title, audience="all", venue_text=f"{PALACE}{room}", starts_at=start,
            ends_at=start + datetime.timedelta(minutes=90), capacity=seats, signup_opens_at=opens,
            signup_closes_at=start - datetime.timedelta(days=1), waitlist_mode="offer", offer_hours=24,
            description=f"县总工会{TERM}职工公益课程，免费参加，每人本学期限报2门。")
        activity = catalogue.publish_activity(activity=activity, actor=actor)
        made += 1
        if title in OPENING_TOMORROW:
            continue
        wanted = seats + rng.randint(3, 6) if title in SOLD_OUT else rng.randint(seats // 4, seats * 3 // 4)
        for _ in range(wanted):
            worker, name = people[cursor % len(people)], names[cursor % len(people)]
            cursor += 1
            fresh = Activity.objects.get(pk=activity.pk)
            key = signup.signup_key(activity=fresh, worker=worker)
            try:
                if fresh.taken < fresh.capacity:
                    signup.sign_up(activity=fresh, worker=worker, key=key, name=name)
                else:
                    signup.join_waitlist(activity=fresh, worker=worker, key=key, name=name)
            except Exception:  # noqa: BLE001, S112 - a demo person at the term limit simply skips
                continue
    made += _township_activities(root, actor, today, monday)
    if stdout is not None:
        stdout.write(f"activities: {made} activities of {TERM}\n")


def _township_activities(root, actor, today, monday) -> int:
    towns = list(Node.objects.filter(path__startswith=root.path, depth=2,
                                     kind__in=(NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION))
                 .order_by("path")[:4])
    specials = [
        (root, "fair", "2026年“春风行动”职工招聘会", f"{PALACE}一楼大厅", 500, "all"),
        (root, "contest", "青山县第五届职工技能大赛（电工）", "青山县技工学校实训楼", 60, "members"),
        (root, "legal_class", "法律微课堂：劳动合同那些事", f"{PALACE}六楼报告厅", 100, "all"),
        (root, "matchmaking", "“缘聚青山”单身职工联谊会", "青山湖景区游客中心", 80, "members"),
    ]
    for town in towns:
        specials.append((town, "course", f"{town.name[:4]}职工之家书法班", f"{town.name[:4]}职工之家活动室", 20, "members"))
        specials.append((town, "culture", f"{town.name[:4]}职工趣味运动会", f"{town.name[:4]}文体中心", 120, "members"))
    for i, (node, kind, title, venue, seats, audience) in enumerate(specials):
        start = _at(monday + datetime.timedelta(days=i % 6), 14)
        activity = catalogue.create_activity(
            node=node, actor=actor, kind=kind, title=title, audience=audience, venue_text=venue,
            starts_at=start, ends_at=start + datetime.timedelta(hours=3), capacity=seats,
            signup_opens_at=_at(today - datetime.timedelta(days=1), 9),
            signup_closes_at=start - datetime.timedelta(hours=12))
        catalogue.publish_activity(activity=activity, actor=actor)
    return len(specials)
