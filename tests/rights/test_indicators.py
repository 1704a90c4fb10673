"""The figures rights contributes to statistics: mediated disputes and the amount recovered roll up."""

from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.indicators import parse_period
from gonghui.rights.services import cases
from gonghui.stats.selectors import evaluate_node

from .conftest import hotline_case

pytestmark = pytest.mark.django_db


def test_mediated_disputes_and_amount_recovered_roll_up_to_the_county(people):
    admin = people.user("b_admin")
    case = hotline_case(people)
    with scopes_disabled():
        for name in ("accept", "assign", "investigate", "mediate"):
            cases.move_case(case=case, name=name, actor=admin, **({"handler": admin} if name == "assign" else {}))
        cases.record_agreement(case=case, actor=admin, signed_on=timezone.localdate(), terms="支付工资", amount="9800")
        cases.move_case(case=case, name="close", actor=admin, outcome="调解成功")
        hotline_case(people, node=people.d)
        period = parse_period(str(timezone.localdate().year), today=timezone.localdate())
        county = evaluate_node(people.a, period)
        town = evaluate_node(people.b, period)
        sibling = evaluate_node(people.d, period)
    assert county["rights.claims"] == 2 and town["rights.claims"] == 1
    assert county["rights.mediated"] == town["rights.mediated"] == 1
    assert Decimal(county["rights.recovered"]) == Decimal("9800")
    assert sibling["rights.claims"] == 1 and sibling["rights.mediated"] == 0
