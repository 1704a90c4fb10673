"""The aid demo: report-like figures that are the sum of the ledger, every state present, idempotent."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.aid import demo, selectors
from gonghui.aid.models import Application, Disbursement, Objection, Programme, Status
from gonghui.aid.services.ledger import verify_ledger
from gonghui.core.scoping import tree_scope
from gonghui.members.demo import load_members
from tests.factories import make_user


@pytest.fixture
def loaded(tree):
    with scopes_disabled():
        for username, role in (("county_admin", Role.ADMIN), ("county_clerk", Role.CLERK),
                               ("county_reviewer", Role.REVIEWER), ("county_finance", Role.FINANCE)):
            make_user(username, node=tree.a, roles=[role])
        load_members(count=400)
        demo.load()
    return tree


def test_demo_figures_are_the_ledger_and_read_like_a_report(loaded, unscoped):
    year = Programme.objects.first().year
    with tree_scope(None):
        figures = selectors.year_figures(year=year)
    assert figures["paid"] == Disbursement.objects.aggregate(s=Sum("amount"))["s"]
    assert figures["by_kind"]["medical_mutual_aid"]["paid"] == Decimal("619700.00")
    scholarships = figures["by_kind"]["autumn_scholarship"]
    assert scholarships["people"] == 20 and scholarships["paid"] > Decimal("95000")
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert verify_ledger().problems == []
    assert sorted(Objection.objects.values_list("status", flat=True)) == ["dismissed", "pending"]


def test_demo_runs_twice_without_adding_anything(loaded, unscoped):
    before = (Application.objects.count(), Disbursement.objects.count())
    demo.load()
    assert (Application.objects.count(), Disbursement.objects.count()) == before
