"""Demo data of contests: the county's CNC lathe contest of this year, a township round whose two
best go on to the county final, both scored by three judges and published, so the console shows
entries, blind sheets, results with prizes, certificates and the final's title in the model-worker
register. Small and deterministic; skipped when already there."""

import datetime
import random

from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from gonghui.accounts.models import User
from gonghui.orgs.models import Employer, Node

from .models import Contest, Entry
from .services import awards, entries, judging, setup

ROOT_NAME = "青山县总工会"
NAME = "青山县数控车工职业技能竞赛"
WORKERS = ["张伟", "王磊", "李娜", "刘洋", "陈杰", "杨帆", "赵敏", "黄涛"]
SEED = 20260520


def load(stdout=None) -> None:
    with scopes_disabled():
        root = Node.objects.filter(name=ROOT_NAME, depth=1).first()
        if root is None or Contest.objects.filter(node=root, name=NAME).exists():
            return
        users = {u.username: u for u in User.objects.filter(username__in=[
            "county_admin", "county_clerk", "county_reviewer", "county_finance"])}
        if len(users) < 4:
            return
        employers = list(Employer.objects.filter(node__path__startswith=root.path, union__isnull=False)
                         .select_related("union").order_by("-employee_count", "pk")[:4])
        if len(employers) < 2:
            return
        _load(root, users, employers, random.Random(SEED))
        if stdout is not None:
            stdout.write(_("Contests: %(contests)d contest, %(rounds)d rounds scored and published") % {"contests": 1, "rounds": 2} + "\n")


def _load(root, users, employers, rng) -> None:
    admin = users["county_admin"]
    judges = [users["county_clerk"], users["county_reviewer"], users["county_finance"]]
    today = timezone.localdate()
    contest = setup.create_contest(node=root, actor=admin, name=NAME, trade="数控车工", level="county",
                                   year=today.year, theory_weight="30", practical_weight="70", drop_extremes=True,
                                   winner_title="青山县技术能手")
    setup.add_item(contest=contest, actor=admin, part="theory", name="理论知识笔试", max_score="100")
    setup.add_item(contest=contest, actor=admin, part="practical", name="工件尺寸精度", max_score="50")
    setup.add_item(contest=contest, actor=admin, part="practical", name="表面粗糙度", max_score="30")
    setup.add_item(contest=contest, actor=admin, part="practical", name="安全文明生产", max_score="20")
    township = setup.add_round(contest=contest, actor=admin, stage="township",
                               held_on=today - datetime.timedelta(days=30), advance_count=2)
    final = setup.add_round(contest=contest, actor=admin, stage="county", held_on=today - datetime.timedelta(days=10))
    names = iter(WORKERS)
    for employer in employers:
        participation = entries.enter_enterprise(round_=township, actor=admin, employer=employer)
        for _n in range(2):
            entries.enter_worker(participation=participation, actor=admin, name=next(names))
    _score(township, judges, admin, rng)
    awards.award_round(round_=township, actor=admin, first=1, second=1, third=2)
    _score(final, judges, admin, rng)
    awards.award_round(round_=final, actor=admin, first=1, second=1, third=0)


def _score(round_, judges, admin, rng) -> None:
    items = list(round_.contest.items.all())
    round_entries = list(Entry.objects.with_scopes_disabled().filter(round=round_))
    for entry in round_entries:
        for judge in judges:
            judging.assign_judge(entry=entry, actor=admin, judge=judge)
    setup.start_scoring(round_=round_, actor=admin)
    for entry in round_entries:
        skill = rng.uniform(0.70, 0.96)
        for judge in judges:
            values = {item.pk: str(round(float(item.max_score) * min(1.0, skill + rng.uniform(-0.05, 0.05)), 1))
                      for item in items}
            judging.save_scores(entry_id=entry.pk, actor=judge, values=values)
            judging.submit_sheet(entry_id=entry.pk, actor=judge)
