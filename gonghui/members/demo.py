"""Demo members for the demo county: a realistic roster of about 10,000, pending applications,
prospects and a transfer waiting for approval. Deterministic and safe to run twice.

Called by ``gonghui demo`` after the tree and the ledger exist. Bulk inserts: the personal data
still goes through the encrypted fields and keyed hashes, exactly as a clerk's entry would.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import Worker
from gonghui.core import pinyin
from gonghui.core.audit import audit
from gonghui.core.crypto import blind_index
from gonghui.core.ids import resident_id_check_char
from gonghui.core.scoping import scopes_disabled
from gonghui.core.workdays import add_workdays
from gonghui.orgs.models import Employer, Node, NodeKind, NodeStatus

from .models import (
    ApplicationStatus,
    Education,
    EmploymentForm,
    Household,
    JoinApplication,
    JoinLink,
    Member,
    MemberEvent,
    MemberType,
    NewFormType,
    Political,
    Prospect,
    Source,
    Transfer,
)
from .selectors import id_hash, phone_hash, region_of
from .services.joining import CATCH_ALL_KINDS, INDUSTRY_KINDS, PROSPECT_CONSENT_TEXT, PROSPECT_CONSENT_VERSION

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋峰建国志文海春晨阳东亮成"
GIVEN_F = "芳娜敏静丽艳娟霞秀英华慧巧美娅莉萍红玉兰婷雪琳晶燕洁梅琴云莲真环倩颖露瑶怡佳欣悦"
# Home areas of migrant workers (real county-level codes) beside the demo county's own.
MIGRANT_AREAS = ["412723", "412726", "342401", "342422", "522401", "522422", "510322", "431121", "360731",
                 "450821", "130425", "410522"]
GRASSROOTS = [NodeKind.ENTERPRISE, NodeKind.NEW_EMPLOYMENT, NodeKind.DISTRICT_JOINT, NodeKind.BUILDING_JOINT,
              NodeKind.PARK_JOINT, NodeKind.SOCIAL_ORG, NodeKind.JOINT_GRASSROOTS, NodeKind.VILLAGE_FEDERATION,
              NodeKind.INDUSTRY, NodeKind.BRANCH]
NEW_FORM_BY_NAME = [("快递", NewFormType.COURIER), ("外卖", NewFormType.FOOD_DELIVERY),
                    ("配送", NewFormType.FOOD_DELIVERY), ("网约车", NewFormType.RIDE_HAILING),
                    ("出行", NewFormType.RIDE_HAILING), ("货车", NewFormType.TRUCK_DRIVER),
                    ("物流", NewFormType.TRUCK_DRIVER), ("家政", NewFormType.DOMESTIC), ("代驾", NewFormType.DESIGNATED_DRIVER)]


class _Ids:
    """Unique, checksummed ID numbers, phones and card numbers."""

    def __init__(self, rng: random.Random):
        self.rng, self.ids, self.phones, self.cards = rng, set(), set(), set()

    def resident_id(self, area: str, female: bool, start: int = 1962, end: int = 2006) -> str:
        while True:
            birth = datetime.date(self.rng.randint(start, end), self.rng.randint(1, 12), self.rng.randint(1, 28))
            seq = self.rng.randint(0, 499) * 2 + (0 if female else 1)
            first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = first17 + resident_id_check_char(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(["13", "15", "17", "18", "19"]) + f"{self.rng.randint(0, 999_999_999):09d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def card(self, region: str) -> str:
        while True:
            number = region + f"{self.rng.randint(0, 9_999_999_999):010d}"
            if number not in self.cards:
                self.cards.add(number)
                return number


def _name(rng: random.Random, female: bool) -> str:
    chars = GIVEN_F if female else GIVEN_M
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _new_form_type(node: Node, rng: random.Random) -> str:
    for word, kind in NEW_FORM_BY_NAME:
        if word in node.name:
            return kind
    return rng.choice([NewFormType.COURIER, NewFormType.FOOD_DELIVERY, NewFormType.RIDE_HAILING,
                       NewFormType.TRUCK_DRIVER])


def load_members(*, count: int = 10_000, seed: int = 20261123, stdout=None) -> dict:
    with scopes_disabled():
        if Member.objects.exists():
            return {"members": Member.objects.count(), "created": 0}
        return _load(count=count, seed=seed, stdout=stdout)


@transaction.atomic
def _load(*, count: int, seed: int, stdout) -> dict:
    rng = random.Random(seed)
    ids = _Ids(rng)
    nodes = list(Node.scoped.filter(kind__in=GRASSROOTS, status=NodeStatus.ACTIVE).order_by("path"))
    if not nodes:
        return {"members": 0, "created": 0}
    employers_by_union: dict[int, list[Employer]] = {}
    for employer in Employer.objects.filter(union__isnull=False).order_by("pk"):
        employers_by_union.setdefault(employer.union_id, []).append(employer)
    weights = [max(n.worker_count, 20) for n in nodes]
    regions = {n.pk: region_of(n) for n in nodes}
    today = timezone.localdate()
    members, placed = [], rng.choices(nodes, weights=weights, k=count)
    for node in placed:
        is_new_form_node = node.kind in (NodeKind.NEW_EMPLOYMENT, NodeKind.INDUSTRY)
        female = rng.random() < (0.22 if is_new_form_node else 0.44)
        rural = rng.random() < (0.7 if is_new_form_node else 0.42)
        area = rng.choice(MIGRANT_AREAS) if rural and rng.random() < 0.6 else regions[node.pk]
        number = ids.resident_id(area, female)
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        earliest = max(datetime.date(2012, 1, 1), birth.replace(year=birth.year + 18))
        if earliest >= today:
            earliest = today - datetime.timedelta(days=30)
        joined = earliest + datetime.timedelta(days=rng.randint(0, max((today - earliest).days, 1)))
        if is_new_form_node:
            form, new_type = EmploymentForm.NEW_FORM, _new_form_type(node, rng)
        else:
            form = rng.choices([EmploymentForm.CONTRACT, EmploymentForm.DISPATCH, EmploymentForm.FLEXIBLE,
                                EmploymentForm.NEW_FORM], weights=[80, 8, 7, 5])[0]
            new_type = _new_form_type(node, rng) if form == EmploymentForm.NEW_FORM else ""
        employer = rng.choice(employers_by_union[node.pk]) if employers_by_union.get(node.pk) else None
        phone = ids.phone()
        name = _name(rng, female)
        member = Member(
            node=node, name=name, name_initials=pinyin.initials(name)[:50], gender="F" if female else "M",
            birth_date=birth, ethnicity=rng.choices(["汉族", "回族", "苗族", "土家族", "壮族", "畲族"],
                                                    weights=[93, 2, 2, 1, 1, 1])[0],
            id_number=number, id_hash=id_hash(number), phone=phone, phone_hash=phone_hash(phone),
            phone_tail=phone[-4:],
            education=rng.choices(Education.values, weights=[6, 30, 30, 18, 14, 2])[0],
            political_status=rng.choices(Political.values, weights=[9, 1, 10, 1, 79])[0],
            household=Household.RURAL if rural else Household.URBAN, is_migrant=rural,
            employment_form=form, new_form_type=new_type, employer=employer,
            employer_name=employer.name if employer else ("" if not is_new_form_node else node.name.replace("工会", "")),
            member_type=MemberType.PROBATIONARY if rng.random() < 0.03 else MemberType.FULL,
            card_number=ids.card(regions[node.pk]), joined_on=joined,
            source=rng.choices([Source.CLERK, Source.IMPORT, Source.SCAN], weights=[30, 55, 15])[0],
        )
        members.append(member)
    Member.objects.bulk_create(members, batch_size=1000)
    MemberEvent.objects.bulk_create(
        [MemberEvent(member=m, action=MemberEvent.Action.JOINED, on=m.joined_on, data={"node": m.node_id, "demo": True})
         for m in members], batch_size=2000)
    if stdout:
        stdout.write(_("Members: %(count)d") % {"count": len(members)})

    # Pending applications from the phone, a few of them overdue (the commonest complaint).
    workers = []
    for _n in range(30):
        phone = ids.phone()
        workers.append(Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone")))
    apps = []
    for i, worker in enumerate(workers[:24]):
        node = rng.choice([n for n in nodes if n.kind in (NodeKind.NEW_EMPLOYMENT, NodeKind.ENTERPRISE,
                                                              NodeKind.DISTRICT_JOINT)] or nodes)
        link = JoinLink.objects.filter(node=node, revoked_at__isnull=True).first() or JoinLink.objects.create(node=node)
        female = rng.random() < 0.4
        number = ids.resident_id(rng.choice(MIGRANT_AREAS), female, 1975, 2004)
        submitted = today - datetime.timedelta(days=rng.randint(0, 35))
        apps.append(JoinApplication(
            node=node, link=link, worker=worker, name=_name(rng, female), id_number=number, id_hash=id_hash(number),
            phone=worker.phone, phone_hash=worker.phone_hash, employer_name=node.name.replace("工会", ""),
            employment_form=EmploymentForm.NEW_FORM if node.kind == NodeKind.NEW_EMPLOYMENT else EmploymentForm.CONTRACT,
            new_form_type=_new_form_type(node, rng) if node.kind == NodeKind.NEW_EMPLOYMENT else "",
            consent_version="2026-11", consent_at=timezone.now(), consent_channel="qr",
            status=ApplicationStatus.PENDING, due_on=add_workdays(submitted, 15)))
        if i % 8 == 0:
            apps[-1].due_on = today - datetime.timedelta(days=rng.randint(1, 6))  # overdue
    JoinApplication.objects.bulk_create(apps)
    # Online joining open where a worker without a poster is led (the worker's "find my union"): the
    # township and community unions (兜底入会), industry federations and new-employment-form unions.
    open_kinds = (*CATCH_ALL_KINDS, *INDUSTRY_KINDS)
    linked = set(JoinLink.objects.filter(revoked_at__isnull=True).values_list("node_id", flat=True))
    JoinLink.objects.bulk_create([JoinLink(node=n) for n in Node.scoped.filter(kind__in=open_kinds,
                                                                               status=NodeStatus.ACTIVE)
                                  if n.pk not in linked])
    # Prospects served at stations before joining (先服务后入会), who ticked the invitation box.
    consent_text = str(PROSPECT_CONSENT_TEXT)
    prospects = []
    for worker in workers[24:]:
        node = rng.choice(nodes)
        prospects.append(Prospect(node=node, phone=worker.phone, phone_hash=worker.phone_hash,
                                  service=rng.choice(["驿站热水", "驿站充电", "法律咨询", "免费体检", "技能培训"]),
                                  times_served=rng.randint(1, 9), consent_version=PROSPECT_CONSENT_VERSION,
                                  consent_at=timezone.now(), consent_channel="station", consent_text=consent_text))
    for i in range(20):
        phone = ids.phone()
        prospects.append(Prospect(node=rng.choice(nodes), phone=phone, phone_hash=phone_hash(phone),
                                  service=rng.choice(["驿站热水", "驿站充电", "职工书屋"]), times_served=1 + i % 4,
                                  consent_version=PROSPECT_CONSENT_VERSION, consent_at=timezone.now(),
                                  consent_channel="station", consent_text=consent_text))
    Prospect.objects.bulk_create(prospects)
    # One transfer half-approved, waiting for the receiving union.
    mover = members[7]
    target = next((n for n in nodes if n.pk != mover.node_id and n.kind == NodeKind.ENTERPRISE), None)
    if target is not None:
        Transfer.objects.create(member=mover, from_node=mover.node, to_node=target, reason="更换工作单位",
                                out_approved_at=timezone.now())
    audit("members.demo_loaded", data={"members": len(members), "applications": len(apps),
                                       "prospects": len(prospects)})
    return {"members": len(members), "created": len(members), "applications": len(apps), "prospects": len(prospects)}
