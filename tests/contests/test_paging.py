"""Long lists page instead of stopping silently: the contests list, the judge's sheets (console and
API) and the enterprises a round may enter — row 201 is reachable on a later page."""

import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.contests.models import Assignment, Contest, Entry, Participation
from gonghui.orgs.models import Employer
from tests.contests.kit import contest, judge, round_with_entries
from tests.factories import credit_code

pytestmark = pytest.mark.django_db
N = 201


def _seen(client, url: str, key: str, pattern: str, pages: int) -> set[str]:
    found = set()
    for page in range(1, pages + 1):
        found |= set(re.findall(pattern, client.get(f"{url}{key}={page}").content.decode()))
    return found


def test_the_contests_list_pages_to_row_201(tree, client):
    with scopes_disabled():
        Contest.objects.bulk_create([
            Contest(node=tree.a, name=f"第{i:03d}届焊工技能竞赛", level="county", trade="焊工", year=2026,
                    theory_weight=Decimal("30"), practical_weight=Decimal("70")) for i in range(N)])
    client.force_login(tree.user("a_admin"))
    first = client.get("/contests/").content.decode()
    assert "1 / 5" in first
    assert len(_seen(client, "/contests/?", "page", r"第(\d{3})届焊工", 5)) == N


def test_the_enterprises_a_round_may_enter_page_to_row_201(tree, client):
    with scopes_disabled():
        c = contest(tree)
        r, _entries = round_with_entries(tree, c, [])
        Employer.objects.bulk_create([
            Employer(node=tree.b, name=f"参赛{i:03d}号机械有限公司", credit_code=credit_code(90000 + i),
                     sector="manufacturing", employee_count=40, union=tree.c) for i in range(N)])
    client.force_login(tree.user("b_admin"))
    url = f"/contests/rounds/{r.pk}/?"
    assert len(_seen(client, url, "ep", r"参赛(\d{3})号", 5)) == N
    searched = client.get(url + "eq=参赛200号").content.decode()
    assert "参赛200号" in searched and "参赛199号" not in searched


def test_the_judges_sheets_page_to_row_201_in_the_console_and_the_api(tree, client):
    with scopes_disabled():
        c = contest(tree)
        r, [entry] = round_with_entries(tree, c, ["张伟"])
        who = judge("judge_many")
        p = Participation.objects.get(round=r)
        made = Entry.objects.bulk_create([Entry(participation=p, round=r, number=100 + i, name=f"选手{i}")
                                          for i in range(N - 1)])
        Assignment.objects.bulk_create([Assignment(entry=e, judge=who) for e in [entry, *made]])
    client.force_login(who)
    numbers = _seen(client, "/contests/judging/?", "page", r">(\d{3})</a>", 3)
    assert len(numbers) == N
    from tests.contests.test_pages_and_api import bearer

    api = bearer(client.__class__(), who)
    ids = set()
    for page in range(1, 6):
        body = api.get(f"/api/v1/contests/judging/sheets?page={page}").json()
        ids |= {row["entry_id"] for row in body["items"]}
    assert body["count"] == N and len(ids) == N
