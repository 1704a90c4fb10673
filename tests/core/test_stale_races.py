"""Lost updates raced for real (issue 17, finding 1): edits from copies read before a state change,
run at the same moment as that change on PostgreSQL (threads behind a barrier, tests/concurrency.py).
Whatever the order the database picks, the state change stands, and of two editors holding the same
version exactly one saves while the other is told to reload."""

import datetime

import pytest
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity, State
from gonghui.activities.services import catalogue
from gonghui.core import editing
from gonghui.core.errors import DomainError
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Employer, Node, NodeStatus
from gonghui.positions.models import Position
from gonghui.positions.services import positions
from tests.activities.conftest import make_activity
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_employer, make_tree
from tests.positions.factories import make_position

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRESQL_ONLY]

ROUNDS = 6


def _row(model, pk):
    with scopes_disabled():
        return model._base_manager.get(pk=pk)


def test_activity_edits_racing_a_cancellation_never_reopen_it():
    with scopes_disabled():
        tree = make_tree()
    admin = tree.user("a_admin")
    for n in range(ROUNDS):
        activity = make_activity(tree, title=f"职工舞蹈班{n}")
        stale = _row(Activity, activity.pk)
        results = race(lambda pk=activity.pk: catalogue.cancel_activity(activity=_row(Activity, pk), actor=admin,
                                                                        reason="场地维修"),
                       lambda stale=stale, n=n: catalogue.update_activity(activity=stale, actor=admin,
                                                                          title=f"职工瑜伽班{n}"))
        row = _row(Activity, activity.pk)
        assert row.state == State.CANCELLED, results
        edit = results[1]
        assert isinstance(edit, Activity) or (isinstance(edit, DomainError) and edit.code == "not_editable"), edit
        assert row.title == (f"职工瑜伽班{n}" if isinstance(edit, Activity) else f"职工舞蹈班{n}")


def test_position_edits_racing_a_move_keep_the_new_union():
    with scopes_disabled():
        tree = make_tree()
    admin = tree.user("a_admin")
    for n in range(ROUNDS):
        with scopes_disabled():
            position = make_position(tree.b, tree=tree)
        stale = _row(Position, position.pk)
        results = race(lambda pk=position.pk: positions.move_position(position=_row(Position, pk), to_node=tree.d,
                                                                      actor=admin, reason="乡镇合并后移交"),
                       lambda stale=stale, n=n: positions.update_position(position=stale, actor=admin,
                                                                          contact_name=f"站长{n}"))
        assert not any(isinstance(r, Exception) for r in results), results
        row = _row(Position, position.pk)
        assert row.node_id == tree.d.pk and row.contact_name == f"站长{n}"


def test_union_edits_racing_a_dissolution_never_revive_it():
    with scopes_disabled():
        tree = make_tree()
    admin = tree.user("a_admin")
    for n in range(ROUNDS):
        with scopes_disabled():
            node = orgs.create_node(parent=_row(Node, tree.b.pk), actor=admin, name=f"青山第{n + 3}机械厂工会",
                                    kind="enterprise")
        stale = _row(Node, node.pk)
        results = race(lambda pk=node.pk: orgs.dissolve_node(node=_row(Node, pk), actor=admin, reason="企业注销"),
                       lambda stale=stale, n=n: orgs.update_node(node=stale, actor=admin, chair_name=f"主席{n}"))
        assert not any(isinstance(r, Exception) for r in results), results
        row = _row(Node, node.pk)
        assert row.status == NodeStatus.DISSOLVED and row.chair_name == f"主席{n}"


def test_two_editors_with_the_same_version_one_saves_one_is_told_to_reload():
    with scopes_disabled():
        tree = make_tree()
    clerk = tree.user("b_clerk")
    for n in range(ROUNDS):
        with scopes_disabled():
            employer = make_employer(tree.b, employees=10)
        version = editing.version_of(_row(Employer, employer.pk))
        results = race(*[
            (lambda count=count, pk=employer.pk, version=version: orgs.update_employer(
                employer=_row(Employer, pk), actor=clerk, expected_version=version, employee_count=count))
            for count in (100 + n, 200 + n)])
        saved = [r for r in results if isinstance(r, Employer)]
        stale = [r for r in results if isinstance(r, editing.StaleEdit)]
        assert len(saved) == 1 and len(stale) == 1, results
        assert _row(Employer, employer.pk).employee_count == saved[0].employee_count


def test_the_roster_edit_with_a_version_racing_a_leave_is_refused_or_first():
    from gonghui.members import selectors
    from gonghui.members.models import Member, MemberStatus
    from gonghui.members.services import roster
    from tests.factories import resident_id

    with scopes_disabled():
        tree = make_tree()
    clerk = tree.user("b_clerk")
    for n in range(ROUNDS):
        with scopes_disabled():
            member = roster.create_member(node=tree.c, actor=clerk, name="秦岚", id_number=resident_id("19900101", 500 + n),
                                          phone="13900004444", employment_form="contract",
                                          joined_on=datetime.date(2024, 1, 1))
        version = selectors.member_version(_row(Member, member.pk))
        results = race(lambda pk=member.pk: roster.end_membership(member=_row(Member, pk), actor=clerk,
                                                                  reason="调离本单位", on=datetime.date(2024, 1, 1)),
                       lambda pk=member.pk, version=version: roster.update_member(
                           member=_row(Member, pk), actor=clerk, expected_version=version, phone="13900005555"))
        row = _row(Member, member.pk)
        assert row.status == MemberStatus.LEFT, results
        edit = results[1]
        assert isinstance(edit, Member) or (isinstance(edit, editing.StaleEdit)), edit
        assert row.phone == ("13900005555" if isinstance(edit, Member) else "13900004444")
