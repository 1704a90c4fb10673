"""The counselling demo loader: a counsellor at the county's counselling room and two bookings, once."""

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.counselling import demo
from gonghui.counselling.models import Counsellor, Session
from tests.factories import make_user
from tests.positions.factories import make_position

pytestmark = pytest.mark.django_db


def test_demo_loads_once(tree):
    with scopes_disabled():
        make_user("county_admin", node=tree.a, roles=[Role.ADMIN])
        make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
        make_position(tree.b, tree=tree, kind="counselling", name="城关职工心灵驿站")
        demo.load()
        demo.load()
        assert Counsellor.objects.count() == 1 and Session.objects.filter(status="booked").count() == 2
