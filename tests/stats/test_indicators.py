"""Each indicator computed on the known tree (conftest) equals the value worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.core import indicators as registry
from gonghui.core.errors import DomainError
from gonghui.core.indicators import Period, parse_period
from gonghui.core.scoping import Subtree, tree_scope
from gonghui.stats import selectors

D = datetime.date
TODAY = D(2026, 11, 23)


def year(y):
    return parse_period(str(y), today=TODAY)


def values(node, spec):
    with scopes_disabled():
        return selectors.evaluate(node.path, parse_period(spec, today=TODAY))


def test_every_module_that_exists_declares_its_indicators():
    keys = {i.key for i in registry.all_indicators()}
    assert {"orgs.grassroots", "orgs.unionization_rate", "members.total", "members.women", "members.migrant",
            "members.new_form", "members.membership_rate", "orgs.staff_targets_met"} <= keys
    assert {"orgs.by_kind", "members.by_form"} <= {b.key for b in registry.all_breakdowns()}


def test_county_figures_at_the_end_of_2025(known):
    v = values(known.a, "2025")
    assert v["orgs.unions"] == 5            # A B C D E (G dissolved in June, F founded in 2026)
    assert v["orgs.grassroots"] == 2        # C E
    assert v["orgs.new_unions"] == 1        # E
    assert v["orgs.new_employment_unions"] == 1
    assert v["members.total"] == 6          # m1 m2 m4 m5 m6 m7
    assert v["members.joined"] == 3         # m2 m4 m5
    assert v["members.women"] == 3          # m1 m4 m6
    assert v["members.migrant"] == 2        # m1 m5
    assert v["members.new_form"] == 3       # m2 m5 m6
    assert v["orgs.workers"] == 250         # 150 + 60 + 40 declared, today
    assert v["members.membership_rate"] == Decimal("2.4")
    assert (v["orgs.employers"], v["orgs.unionized_employers"], v["orgs.employers_to_organize"]) == (5, 3, 2)
    assert v["orgs.unionization_rate"] == Decimal("60.0")
    assert (v["orgs.socialized_staff"], v["orgs.vice_chairs"]) == (2, 0)
    assert (v["orgs.staff_targets"], v["orgs.staff_targets_met"], v["orgs.staff_target_rate"]) == (2, 1, Decimal("50.0"))


def test_last_year_is_counted_as_it_stood_then(known):
    v = values(known.a, "2024")
    assert v["orgs.unions"] == 5            # A B C D G
    assert v["orgs.grassroots"] == 1        # C
    assert v["members.total"] == 4          # m1 m3 m6 m7
    assert v["members.joined"] == 1         # m6 on 31 December
    assert v["members.women"] == 2
    assert (v["orgs.socialized_staff"], v["orgs.vice_chairs"]) == (1, 1)
    assert v["orgs.staff_targets"] == 0 and v["orgs.staff_target_rate"] is None


def test_quarter_month_and_custom_range(known):
    q2 = values(known.a, "2025Q2")
    assert (q2["members.total"], q2["members.joined"]) == (5, 0)
    q2_last = values(known.a, "2024Q2")
    assert q2_last["members.total"] == 3    # m1 m3 m7
    march = values(known.a, "2025-03")
    assert (march["members.total"], march["members.joined"], march["orgs.new_unions"]) == (6, 1, 1)
    span = values(known.a, "2025-01-01~2025-02-28")
    assert (span["members.total"], span["members.joined"]) == (5, 1)


def test_subtree_of_a_township(known):
    b = values(known.b, "2025")
    assert (b["orgs.unions"], b["members.total"], b["orgs.workers"]) == (3, 5, 210)
    assert b["members.membership_rate"] == Decimal("2.4")  # 5 / 210 = 2.38
    assert b["orgs.unionization_rate"] == Decimal("66.7")
    d = values(known.d, "2026")
    assert (d["orgs.unions"], d["members.total"], d["members.joined"]) == (2, 3, 2)


def test_children_are_ranked_in_one_grouped_query_per_source(known, django_assert_max_num_queries):
    sources = {i.source for i in registry.all_indicators() if i.source}
    custom = [i for i in registry.all_indicators() if i.compute]
    with scopes_disabled():
        with django_assert_max_num_queries(1 + len(sources) + 2 * len(custom)):
            rows = selectors.child_rows(known.a, year(2025))
    by_name = {(r.node.name if r.node else "own"): r.values for r in rows}
    assert by_name["城关镇总工会"]["members.total"] == 5
    assert by_name["河口镇总工会"]["members.total"] == 1
    assert by_name["own"]["orgs.unions"] == 1  # the county federation itself
    assert sum(v["orgs.unions"] for v in by_name.values()) == 5


def test_breakdowns_by_type_and_employment_form(known):
    with scopes_disabled():
        result = {bd.key: {value: n for value, _label, n in rows}
                  for bd, rows in selectors.breakdowns(known.a, year(2025))}
    assert result["orgs.by_kind"] == {"county": 1, "township_union": 2, "enterprise": 1, "new_employment": 1}
    assert result["members.by_form"] == {"contract": 3, "new_form": 3}
    assert result["members.by_new_form_type"] == {"": 3}


def test_monthly_trend_of_members(known):
    with scopes_disabled():
        months, series = selectors.trend(known.a, year(2025), [registry.get("members.total"),
                                                               registry.get("members.joined")])
    assert len(months) == 12
    assert series["members.total"] == [4, 5, 6, 5, 5, 5, 5, 5, 5, 5, 6, 6]
    assert series["members.joined"] == [0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]


def test_a_scope_limits_the_figures_even_for_the_county_node(known):
    with tree_scope(Subtree([known.b.path])):
        v = selectors.evaluate(known.a.path, year(2025))
    assert v["members.total"] == 5 and v["orgs.employers"] == 3


@pytest.mark.parametrize("spec, code", [
    ("2025-03-31~2025-01-01", "period_reversed"), ("2027", "period_future"), ("2026-12", "period_future"),
    ("2025Q5", "period_invalid"), ("2025-13", "period_invalid"), ("yesterday", "period_invalid"),
    ("2025-02-30~2025-03-01", "period_invalid"), ("1900", "period_invalid"),
])
def test_bad_periods_are_refused_with_a_reason(spec, code):
    with pytest.raises(DomainError) as exc:
        parse_period(spec, today=TODAY)
    assert exc.value.code == code and exc.value.field == "period"


def test_periods_parse_and_compare_with_a_year_earlier():
    assert parse_period("", today=TODAY) == Period(D(2026, 1, 1), D(2026, 12, 31), "year")
    q = parse_period("2025q3", today=TODAY)
    assert (q.start, q.end, q.spec) == (D(2025, 7, 1), D(2025, 9, 30), "2025Q3")
    assert q.a_year_earlier() == Period(D(2024, 7, 1), D(2024, 9, 30), "quarter")
    assert parse_period("2024-2", today=TODAY).end == D(2024, 2, 29)
    assert parse_period("2024-02-29~2024-03-01", today=TODAY).a_year_earlier().start == D(2023, 2, 28)
    assert parse_period("2026", today=TODAY).until(TODAY).end == TODAY
