"""Scope proof of the model-worker register: a person and a trip belong to the union keeping them."""

import datetime
import itertools

from tests.scope_kit import CADRE_ANY, NODE_SCOPED, Route, _member_pk, _node, scoped

_seq = itertools.count(8000)
_MEMBERS: dict[int, int] = {}


def _person(tree, node) -> int:
    from gonghui.modelworkers import services

    return services.register_person(node=node, actor=tree.user("a_admin"), name="沈国强", level="county",
                                    title=f"青山县劳动模范{next(_seq)}", year=2020,
                                    employer_name=f"{node.name[:3]}机械有限公司").pk


def _person_and_member(tree, node) -> int:
    _MEMBERS[node.pk] = _member_pk(tree, node)
    return _person(tree, node)


def _trip(tree, node) -> int:
    from gonghui.modelworkers import services

    return services.create_trip(node=node, actor=tree.user("a_admin"), name=f"{node.name[:3]}疗休养{next(_seq)}",
                                place="安吉", starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 9, 5),
                                places=5).pk


_TRIP_PEOPLE: dict[int, int] = {}
_FILES: dict[int, int] = {}


def _person_with_file(tree, node) -> int:
    """A person and a hardship file of theirs (by name) in the aid module."""
    from decimal import Decimal

    from gonghui.aid.services import hardship
    from tests.factories import resident_id

    _FILES[node.pk] = hardship.register_file(
        node=node, actor=tree.user("a_admin"), name="沈国强", id_number=resident_id("19700101", next(_seq) % 1000),
        cause="illness", level="relative", household_size=3, income_per_head=Decimal("800")).pk
    return _person(tree, node)


_PROGRAMMES: dict[int, int] = {}


def _linked_person_and_programme(tree, node) -> int:
    """A person linked to a member of the node, and an aid programme of the node to pay them through."""
    from gonghui.aid.services import programmes
    from gonghui.modelworkers import services
    from tests.scope_kit import _member

    _PROGRAMMES[node.pk] = programmes.create_programme(
        node=node, actor=tree.user("a_admin"), kind="consolation", name=f"劳模专项补助{next(_seq)}", year=2026,
        period=f"2026-{next(_seq)}", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31),
        review_levels=1, standard_amount=None, budget="10000").pk
    return services.register_person(node=node, actor=tree.user("a_admin"), name="沈国强", level="county",
                                    title=f"青山县劳动模范{next(_seq)}", year=2020,
                                    member=_member(tree, node)).pk


def _trip_and_person(tree, node) -> int:
    _TRIP_PEOPLE[node.pk] = _person(tree, node)
    return _trip(tree, node)


def _person_form(tree, node):
    return {"name": "朱美娟", "level": "city", "kind": "model_worker", "title": f"湖州市劳动模范{next(_seq)}",
            "year": "2021", "employer_name": "", "occupation": "", "status": "active"}


ROUTES = {
    "modelworkers:list": Route(CADRE_ANY),
    "modelworkers:trips": Route(CADRE_ANY),
    "modelworkers:create": scoped(_node, param="?node", data=_person_form),
    "modelworkers:detail": scoped(_person),
    "modelworkers:honour_add": scoped(_person, get=False, data=lambda t, n: {
        "level": "city", "kind": "craftsman", "title": f"湖州工匠{next(_seq)}", "year": "2024"}),
    "modelworkers:care_add": scoped(_person, get=False, data=lambda t, n: {"kind": "visit", "on": "2026-02-01"}),
    "modelworkers:link": scoped(_person_and_member, get=False, data=lambda t, n: {"member": _MEMBERS[n.pk]}),
    "modelworkers:status": scoped(_person, get=False, data=lambda t, n: {"status": "retired"}),
    "modelworkers:hardship": scoped(_person_with_file, get=False, data=lambda t, n: {
        "hardship_file": _FILES[n.pk], "amount": "500", "on": "2026-02-01"}),
    "modelworkers:allowance_add": scoped(_linked_person_and_programme, get=False, data=lambda t, n: {
        "kind": "subsidy", "programme": _PROGRAMMES[n.pk], "amount": "500", "reason": "低收入劳模生活补助"}),
    "modelworkers:trip": scoped(_trip_and_person, data=lambda t, n: {"person": _TRIP_PEOPLE[n.pk]}),
    # API
    "api:list_people": Route(CADRE_ANY),
    "api:modelworkers_summary": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:register_model_worker": scoped(_node, param="", data=lambda t, n: {
        "node": n.pk, "name": "钱志华", "level": "provincial", "title": f"浙江工匠{next(_seq)}", "year": 2023}),
    "api:get_person": scoped(_person, param="person_id"),
    "api:link_member": scoped(_person_and_member, param="person_id", data=lambda t, n: {"member": _MEMBERS[n.pk]}),
    "api:record_care": scoped(_person, param="person_id", data=lambda t, n: {"kind": "checkup", "on": "2026-03-01"}),
}
SIBLING_SEEDS = [_person, _trip]
