"""Scope proof of contests: every console page and API route of the module.

A contest belongs to its organizer's subtree and is shown, read-only, to the unions below (``above``);
enterprise entries belong to the entering union. A judge's sheet is reached by the judge's account
only: another cadre, even over the organizer, is refused (``refused_inside``)."""

import datetime
import itertools

from tests.scope_kit import CADRE_ANY, Route, _node, scoped

_seq = itertools.count(7000)
HELD = datetime.date(2026, 5, 20)
_EMPLOYERS: dict[int, int] = {}
_ENTRIES: dict[int, int] = {}


def _contest_obj(tree, node):
    from gonghui.contests.services import setup

    admin = tree.user("a_admin")
    c = setup.create_contest(node=node, actor=admin, name=f"{node.name}技能竞赛{next(_seq)}", trade="焊工",
                             level="county", year=2026, theory_weight="30", practical_weight="70")
    setup.add_item(contest=c, actor=admin, part="theory", name="理论", max_score="100")
    setup.add_item(contest=c, actor=admin, part="practical", name="实操", max_score="100")
    return c


def _contest(tree, node) -> int:
    return _contest_obj(tree, node).pk


def _round_obj(tree, node):
    from gonghui.contests.services import setup

    return setup.add_round(contest=_contest_obj(tree, node), actor=tree.user("a_admin"), stage="county", held_on=HELD)


def _employer_here(node) -> int:
    from tests.factories import make_employer

    return make_employer(node, name=f"{node.name[:3]}参赛{next(_seq)}有限公司", union=node, employees=120).pk


def _round(tree, node) -> int:
    """An open round, and an employer of the node (entered by the payload)."""
    _EMPLOYERS[node.pk] = _employer_here(node)
    return _round_obj(tree, node).pk


def _participation_obj(tree, node):
    from gonghui.contests.services import entries
    from gonghui.orgs.models import Employer

    round_ = _round_obj(tree, node)
    employer = Employer.objects.with_scopes_disabled().get(pk=_employer_here(node))
    return entries.enter_enterprise(round_=round_, actor=tree.user("a_admin"), employer=employer)


def _participation(tree, node) -> int:
    return _participation_obj(tree, node).pk


def _entry_obj(tree, node):
    from gonghui.contests.services import entries

    return entries.enter_worker(participation=_participation_obj(tree, node), actor=tree.user("a_admin"), name="王强")


def _round_with_entry(tree, node) -> int:
    entry = _entry_obj(tree, node)
    _ENTRIES[node.pk] = entry.pk
    return entry.round_id


def _judge():
    from gonghui.accounts.models import User
    from tests.factories import make_user

    return User.objects.filter(username="judge_x").first() or make_user("judge_x")


def _scored_round(tree, node) -> int:
    """A round being scored whose one entry has a submitted sheet: ready to publish."""
    from gonghui.contests.services import judging, setup

    entry = _entry_obj(tree, node)
    judge = _judge()
    judging.assign_judge(entry=entry, actor=tree.user("a_admin"), judge=judge)
    setup.start_scoring(round_=entry.round, actor=tree.user("a_admin"))
    items = {i.name: i.pk for i in entry.round.contest.items.all()}
    judging.save_scores(entry_id=entry.pk, actor=judge, values={items["理论"]: "80", items["实操"]: "90"})
    judging.submit_sheet(entry_id=entry.pk, actor=judge)
    return entry.round_id


def _award(tree, node) -> int:
    from gonghui.contests.models import Round
    from gonghui.contests.services import awards

    round_ = Round.objects.get(pk=_scored_round(tree, node))
    return awards.award_round(round_=round_, actor=tree.user("a_admin"), first=1, second=0, third=0)[0].pk


def _sheet_entry(tree, node) -> int:
    """An entry in scoring with a sheet assigned to another account (the judge), not to the caller."""
    from gonghui.contests.services import judging, setup

    entry = _entry_obj(tree, node)
    judging.assign_judge(entry=entry, actor=tree.user("a_admin"), judge=_judge())
    setup.start_scoring(round_=entry.round, actor=tree.user("a_admin"))
    return entry.pk


def _contest_form(tree, node):
    return {"name": f"新竞赛{next(_seq)}", "kind": "skills", "level": "county", "trade": "电工", "year": "2026",
            "theory_weight": "40", "practical_weight": "60"}


def _contest_json(tree, node):
    return {"node": node.pk, "name": f"新竞赛{next(_seq)}", "trade": "电工", "level": "county", "year": 2026,
            "theory_weight": "40", "practical_weight": "60"}


ROUTES = {
    # console
    "contests:list": Route(CADRE_ANY),
    "contests:judging": Route(CADRE_ANY),
    "contests:create": scoped(_node, param="?node", data=_contest_form),
    "contests:detail": scoped(_contest, above=True),
    "contests:round_add": scoped(_contest, get=False,
                                 data=lambda t, n: {"stage": "township", "held_on": "2026-04-01", "advance_count": "1"}),
    "contests:item_add": scoped(_contest, get=False,
                                data=lambda t, n: {"part": "practical", "name": "安全", "min_score": "0",
                                                   "max_score": "20"}),
    "contests:round": scoped(_round, above=True),
    "contests:enter": scoped(_round, get=False, data=lambda t, n: {"employer": _EMPLOYERS[n.pk]}),
    "contests:judge_add": scoped(_round_with_entry, get=False,
                                 data=lambda t, n: {"username": "nobody", "entries": ""}),
    "contests:start": scoped(_round_with_entry, get=False, data=lambda t, n: {}),
    "contests:award": scoped(_scored_round, get=False,
                             data=lambda t, n: {"first": "1", "second": "0", "third": "0"}),
    "contests:worker_add": scoped(_participation, get=False, data=lambda t, n: {"name": "李明"}),
    "contests:certificate": scoped(_award),
    "contests:sheet": scoped(_sheet_entry, refused_inside=True),
    # API
    "api:list_contests": Route(CADRE_ANY),
    "api:my_sheets": Route(CADRE_ANY),
    "api:create_contest": scoped(_node, param="", data=_contest_json),
    "api:get_contest": scoped(_contest, param="contest_id", above=True),
    "api:add_round": scoped(_contest, param="contest_id",
                            data=lambda t, n: {"stage": "township", "held_on": "2026-04-01"}),
    "api:add_item": scoped(_contest, param="contest_id",
                           data=lambda t, n: {"part": "practical", "name": "安全", "max_score": "20"}),
    "api:list_participations": scoped(_round, param="round_id", above=True),
    "api:enter_enterprise": scoped(_round, param="round_id",
                                   data=lambda t, n: {"employer": _EMPLOYERS[n.pk]}),
    "api:list_entries": scoped(_round, param="round_id", above=True),
    "api:enter_worker": scoped(_participation, param="participation_id", data=lambda t, n: {"name": "李明"}),
    "api:assign_judges": scoped(_round_with_entry, param="round_id",
                                data=lambda t, n: {"judge": t.user("nobody").pk, "entries": [_ENTRIES[n.pk]]}),
    "api:start_scoring": scoped(_round_with_entry, param="round_id", data=lambda t, n: {}),
    "api:round_results": scoped(_scored_round, param="round_id"),
    "api:award_round": scoped(_scored_round, param="round_id",
                              data=lambda t, n: {"first": 1, "second": 0, "third": 0}),
    "api:award_certificate": scoped(_award, param="award_id"),
    "api:score_entry": scoped(_sheet_entry, param="entry_id", refused_inside=True,
                              data=lambda t, n: {"scores": {}}),
}
SIBLING_SEEDS = [_contest]
