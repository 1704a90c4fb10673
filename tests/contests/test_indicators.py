"""Figures of contests as statistics reads them: contests held, entries, participation by enterprise
size against the employer ledger (each employer once), winners."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.contests.services import awards, entries, setup
from gonghui.core.indicators import Period
from gonghui.orgs.models import Node
from gonghui.stats import selectors as stats
from tests.contests.kit import contest, enterprise, round_with_entries
from tests.contests.test_contests import _run_final
from tests.factories import make_employer

pytestmark = pytest.mark.django_db
YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year")


def test_participation_rate_by_size_class(tree):
    with scopes_disabled():
        c = contest(tree)
        r, _ = round_with_entries(tree, c, ["王强"])  # an employer of 50: small
        big = enterprise(tree, name="青山重工股份有限公司", employees=500)
        p = entries.enter_enterprise(round_=r, actor=tree.user("b_admin"), employer=big)
        entries.enter_worker(participation=p, actor=tree.user("b_admin"), name="李明")
        entries.enter_worker(participation=p, actor=tree.user("b_admin"), name="赵六")
        make_employer(tree.b, employees=400)
        make_employer(tree.b, employees=10)
        make_employer(tree.d, employees=20)
        figures = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), YEAR)
    assert figures["contests.held"] == 1 and figures["contests.entries"] == 3
    assert (figures["contests.enterprises_above"], figures["contests.ledger_above"]) == (1, 2)
    assert (figures["contests.enterprises_small"], figures["contests.ledger_small"]) == (1, 3)
    assert str(figures["contests.participation_above"]) == "50.0"
    assert str(figures["contests.participation_small"]) == "33.3"


def test_a_second_round_does_not_count_the_enterprise_twice(tree):
    with scopes_disabled():
        c = contest(tree)
        r1, (e,) = round_with_entries(tree, c, ["王强"], stage="township")
        r2 = setup.add_round(contest=c, actor=tree.user("a_admin"), stage="county", held_on=datetime.date(2026, 6, 1))
        entries.advance_entry(entry=e, to=r2)
        figures = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), YEAR)
    assert figures["contests.enterprises_small"] == 1 and figures["contests.entries"] == 2


def test_winners_in_the_period(tree):
    today = timezone.localdate()
    with scopes_disabled():
        c = contest(tree)
        r, _ = _run_final(tree, c, {"王强": [("90", "50", "30")] * 3, "李明": [("80", "50", "30")] * 3})
        awards.award_round(round_=r, actor=tree.user("a_admin"), first=1, second=1, third=0)
        figures = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), Period(today.replace(day=1), today, "month"))
    assert figures["contests.winners"] == 2
