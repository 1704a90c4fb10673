"""The assistance figures for statistics are sums of the ledger: payments minus reversals."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.aid.services import applications as apps
from gonghui.core.indicators import Period
from gonghui.stats import selectors as stats
from tests.aid.conftest import YEAR, make_member, make_programme


def _paid(people, programme, member, amount, reviewer):
    with scopes_disabled():
        application = apps.create_application(programme=programme, member=member, actor=people.user("a_admin"),
                                              reason="家中老人重病", amount=amount)
        apps.approve_application(application=application, actor=people.user(reviewer))
        apps.pay_application(application=application, actor=people.user("a_admin"))
        return application


def test_paid_people_and_medical_share_follow_the_ledger(people):
    warmth = make_programme(people, budget="50000")
    first = make_member(people, seq=201, phone="13912340001")
    second = make_member(people, seq=202, phone="13912340002")
    far = make_member(people, node=people.d, seq=203, phone="13912340003")
    _paid(people, warmth, first, "800", "b_reviewer")
    reversed_one = _paid(people, warmth, second, "500", "b_reviewer")
    _paid(people, warmth, far, "300", "a_reviewer")
    with scopes_disabled():
        apps.reverse_disbursement(application=reversed_one, actor=people.user("a_admin"), reason="银行退回")
        today = timezone.localdate()
        period = Period(datetime.date(YEAR, 1, 1), today, "range")
        b = stats.evaluate_node(people.b, period)
        a = stats.evaluate_node(people.a, period)
    assert b["aid.paid"] == Decimal("800.00")      # 800 + 500 − 500; D's 300 is not B's
    assert b["aid.payments"] == 2
    assert b["aid.people"] == 1                     # the reversed payment, not paid again, helped no one
    assert b["aid.medical"] in (None, 0, Decimal("0"))
    assert a["aid.paid"] == Decimal("1100.00")
