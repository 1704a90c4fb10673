"""Lists cost a fixed number of queries, whatever their length: the contest list (page and API), a
round's results (three queries for any number of entries and judges) and the model-worker register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.contests import selectors
from gonghui.modelworkers import services
from tests.contests.kit import contest, round_with_entries
from tests.contests.test_contests import _run_final

pytestmark = pytest.mark.django_db


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_round_results_take_three_queries_whatever_the_size(tree):
    with scopes_disabled():
        small, _ = _run_final(tree, contest(tree), {"王强": [("90", "50", "30")] * 3})
        c = contest(tree, title="")
        r, _ = round_with_entries(tree, c, ["李明", "赵六", "孙七", "周八", "吴九"])
        assert queries(lambda: selectors.round_results(small)) == 3
        assert queries(lambda: selectors.round_results(r)) == 3


def test_list_pages_do_not_grow_with_their_rows(tree, client):
    client.force_login(tree.user("a_admin"))
    with scopes_disabled():
        contest(tree)
        services.register_person(node=tree.b, actor=tree.user("a_admin"), name="沈国强", level="county",
                                 title="青山县劳动模范", year=2020)  # a page with rows: its count, then its rows
    client.get("/contests/")  # the session's first request stamps it; measured from the second
    one = (queries(lambda: client.get("/contests/")), queries(lambda: client.get("/api/v1/contests")),
           queries(lambda: client.get("/modelworkers/")))
    with scopes_disabled():
        for _ in range(3):
            contest(tree, title="")
        for name in ("朱美娟", "钱志华", "孙德明"):
            services.register_person(node=tree.b, actor=tree.user("a_admin"), name=name, level="city",
                                     title="湖州市劳动模范", year=2021)
    more = (queries(lambda: client.get("/contests/")), queries(lambda: client.get("/api/v1/contests")),
            queries(lambda: client.get("/modelworkers/")))
    assert one == more
