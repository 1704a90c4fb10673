"""Races that the database must settle: two reviewers approving one application, two clerks
entering the same person. Real threads and a barrier, on PostgreSQL (SQLite serializes writers)."""


import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.members.models import Member
from gonghui.members.services import joining, roster
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree, make_user, resident_id

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def test_two_reviewers_approving_at_once_make_one_member():
    assert connection.vendor == "postgresql"
    with scopes_disabled():
        tree = make_tree()
        r1 = make_user("r1", node=tree.b, roles=["reviewer"])
        r2 = make_user("r2", node=tree.a, roles=["admin"])
        link = joining.current_link(node=tree.c, actor=tree.user("b_clerk"))
        worker = Worker.objects.create(phone="13911112222", phone_hash=blind_index("13911112222", purpose="phone"))
        application = joining.submit_application(
            link=link, worker=worker, name="郑伟", id_number=resident_id("19910303", 123),
            employment_form="contract", employer_name="青山精密机械有限公司", consent=True)
    results = race(lambda: joining.approve_application(application=application, actor=r1),
                   lambda: joining.approve_application(application=application, actor=r2))
    with scopes_disabled():
        assert Member.objects.count() == 1
    assert sum(isinstance(r, Member) for r in results) == 1
    assert sum(isinstance(r, DomainError) and r.code == "decided" for r in results) == 1


def test_two_clerks_entering_the_same_person_make_one_member():
    with scopes_disabled():
        tree = make_tree()
    number = resident_id("19850505", 555)
    results = race(*[lambda node=node, user=user: roster.create_member(
        node=node, actor=tree.user(user), name="冯雪", id_number=number, employment_form="contract")
        for node, user in ((tree.c, "b_clerk"), (tree.d, "d_admin"), (tree.c, "b_admin"))])
    with scopes_disabled():
        assert Member.objects.filter(status="active").count() == 1
    assert sum(isinstance(r, Member) for r in results) == 1
    assert all(r.code == "already_member" for r in results if isinstance(r, DomainError))
