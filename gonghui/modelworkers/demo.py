"""Demo data of the model-worker register: a few model workers and craftsmen of the demo county at
every level, this year's visits and check-ups, a recuperation trip with its places, and hardship help
given through an assistance file. Small and deterministic; skipped when already there."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from gonghui.accounts.models import User
from gonghui.orgs.models import Employer, Node

from . import services
from .models import ModelWorker

ROOT_NAME = "青山县总工会"
PEOPLE = [  # name, level, kind, title, years ago, occupation, status
    ("沈国强", "national", "model_worker", "全国劳动模范", 11, "钳工", "retired"),
    ("朱美娟", "provincial", "model_worker", "浙江省劳动模范", 6, "纺织挡车工", "active"),
    ("钱志华", "provincial", "craftsman", "浙江工匠", 3, "焊工", "active"),
    ("吴建平", "city", "model_worker", "湖州市劳动模范", 5, "电工", "active"),
    ("郑小芳", "city", "craftsman", "湖州工匠", 2, "茶艺师", "active"),
    ("孙德明", "county", "model_worker", "青山县劳动模范", 8, "农机修理工", "retired"),
    ("冯丽萍", "county", "technical_expert", "青山县技术能手", 1, "育婴员", "active"),
]


def load(stdout=None) -> None:
    with scopes_disabled():
        root = Node.objects.filter(name=ROOT_NAME, depth=1).first()
        if root is None or ModelWorker.objects.filter(node=root, name=PEOPLE[0][0]).exists():
            return
        clerk = User.objects.filter(username="county_clerk").first()
        if clerk is None:
            return
        _load(root, clerk)
        if stdout is not None:
            stdout.write(_("Model workers and craftsmen: %(count)d in the register, with this year's care")
                         % {"count": len(PEOPLE)} + "\n")


def _load(root, clerk) -> None:
    today = timezone.localdate()
    employers = list(Employer.objects.filter(node__path__startswith=root.path).order_by("-employee_count", "pk")[:7])
    people = []
    for i, (name, level, kind, title, ago, occupation, status) in enumerate(PEOPLE):
        employer = employers[i] if i < len(employers) else None
        people.append(services.register_person(node=root, actor=clerk, name=name, level=level, kind=kind, title=title,
                                               year=today.year - ago, employer=employer, occupation=occupation,
                                               status=status))
    services.add_honour(person=people[0], actor=clerk, level="provincial", title="浙江省劳动模范",
                        year=today.year - 16)
    first_day = today.replace(month=1, day=1)
    for person in people[:5]:
        services.record_care(person=person, actor=clerk, kind="visit", on=first_day if today.month == 1
                             else today.replace(day=1), notes="春节前走访慰问")
    for person in people[:3]:
        services.record_care(person=person, actor=clerk, kind="checkup", on=today, notes="年度健康体检")
    trip = services.create_trip(node=root, actor=clerk, name=f"{today.year}年劳模疗休养", place="安吉县天荒坪",
                                starts_on=today + datetime.timedelta(days=20),
                                ends_on=today + datetime.timedelta(days=24), places=4)
    for person in people[1:4]:
        services.give_place(trip=trip, person=person, actor=clerk)
