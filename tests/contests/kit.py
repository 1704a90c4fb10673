"""Builders for contest tests: a county contest with two items per part, enterprises with unions."""

import datetime
from decimal import Decimal

from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.contests.services import entries, judging, setup
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from tests.factories import make_employer, make_user

HELD = datetime.date(2026, 5, 20)


def contest(tree, *, drop_extremes=False, title="青山县技术能手", node=None):
    c = setup.create_contest(node=node or tree.a, actor=tree.user("a_admin"), name="青山县数控车工技能竞赛",
                             trade="数控车工", level="county", year=2026, theory_weight="30",
                             practical_weight="70", drop_extremes=drop_extremes, winner_title=title)
    setup.add_item(contest=c, actor=tree.user("a_admin"), part="theory", name="理论笔试", max_score="100")
    setup.add_item(contest=c, actor=tree.user("a_admin"), part="practical", name="工件精度", max_score="60")
    setup.add_item(contest=c, actor=tree.user("a_admin"), part="practical", name="安全文明操作", max_score="40")
    return c


def enterprise(tree, parent=None, *, name=None, employees=50):
    """An employer with its own enterprise union under ``parent`` (township B by default)."""
    parent = Node.objects.get(pk=(parent or tree.b).pk)
    with scopes_disabled():
        union = orgs.create_node(parent=parent, actor=None, name=f"{name or '测试'}工会", kind=NodeKind.ENTERPRISE)
        return make_employer(parent, name=name, union=Node.objects.get(pk=union.pk), employees=employees)


def judge(name):
    from gonghui.orgs.models import Node as N

    return make_user(name, node=N.objects.get(depth=1), roles=[Role.VIEWER])


def items(c):
    return {i.name: i for i in c.items.all()}


def score(entry, judge_user, values: dict, *, submit=True):
    its = {i.name: i.pk for i in entry.round.contest.items.all()}
    judging.save_scores(entry_id=entry.pk, actor=judge_user, values={its[k]: v for k, v in values.items()})
    if submit:
        judging.submit_sheet(entry_id=entry.pk, actor=judge_user)


def round_with_entries(tree, c, names, *, stage="county", advance=0):
    r = setup.add_round(contest=c, actor=tree.user("a_admin"), stage=stage, held_on=HELD, advance_count=advance)
    out = []
    for n in names:
        employer = enterprise(tree, name=f"{n}机械有限公司")
        p = entries.enter_enterprise(round_=r, actor=tree.user("b_admin"), employer=employer)
        out.append(entries.enter_worker(participation=p, actor=tree.user("b_admin"), name=n))
    return r, out


D = Decimal
