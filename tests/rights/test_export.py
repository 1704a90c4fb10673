"""Cases exported to xlsx: the list's filters, claimants masked unless an admin or clerk asks for the
full version, no facts, no formulas, every export audited."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.accounts.services import create_api_token
from gonghui.core.models import AuditEntry
from gonghui.rights.models import Case

from .conftest import hotline_case, snapshot

pytestmark = pytest.mark.django_db


def _client(tree, username="b_admin") -> Client:
    client = Client()
    client.force_login(tree.user(username))
    return client


def _sheet(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


def _text(rows) -> str:
    return " ".join(str(v) for row in rows for v in row if v is not None)


def test_the_export_is_masked_and_carries_no_facts(people):
    case = hotline_case(people)
    rows = _sheet(_client(people).get("/rights/export/"))
    assert rows[0][:5] == ["查询码", "类别", "来源渠道", "诉求人", "手机号码"]
    assert rows[1][0] == case.tracking_code and rows[1][3] == "刘**" and rows[1][4] == "138****5678"
    text = _text(rows)
    assert "刘大海" not in text and "13812345678" not in text and "工资共三个月未发放" not in text
    entry = AuditEntry.objects.filter(action="rights.cases.exported").get()
    assert entry.data["rows"] == 1 and entry.data["full"] is False


def test_the_full_version_is_for_admins_and_clerks_of_the_whole_export(people):
    hotline_case(people)
    rows = _sheet(_client(people).get("/rights/export/?full=1"))
    assert rows[1][3] == "刘大海" and rows[1][4] == "13812345678"
    assert AuditEntry.objects.filter(action="rights.cases.exported").get().data["full"] is True
    page = _client(people).get("/rights/").content.decode()
    assert "full=1" in page


@pytest.mark.parametrize("username", ["b_reviewer", "labour"])
def test_reviewers_and_mediators_get_no_full_version_and_nothing_is_recorded(people, username):
    hotline_case(people)
    client = _client(people, username)
    before = snapshot()
    assert client.get("/rights/export/?full=1").status_code == 403
    assert snapshot() == before
    assert "full=1" not in client.get("/rights/").content.decode()


def test_cells_that_look_like_formulas_stay_text(people):
    hotline_case(people, employer_name='=HYPERLINK("http://evil.example","点此")', parties="+86 内容")
    hotline_case(people, employer_name="@SUM(A1:A9)")
    text = _text(_sheet(_client(people).get("/rights/export/")))
    assert "'=HYPERLINK(" in text and "'@SUM(A1:A9)" in text
    book = load_workbook(io.BytesIO(_client(people).get("/rights/export/").content))
    assert not any(c.data_type == "f" for row in book.active.iter_rows() for c in row)


def test_the_export_follows_the_list_filters(people):
    late, on_time = hotline_case(people), hotline_case(people, category="injury")
    with scopes_disabled():
        Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    codes = [r[0] for r in _sheet(_client(people).get("/rights/export/?stage=all&overdue=on"))[1:]]
    assert codes == [late.tracking_code]
    codes = [r[0] for r in _sheet(_client(people).get("/rights/export/?category=injury"))[1:]]
    assert codes == [on_time.tracking_code]


def test_a_mediator_exports_only_the_cases_they_are_invited_to(people):
    from gonghui.rights.services import cases

    invited, _other = hotline_case(people), hotline_case(people)
    with scopes_disabled():
        cases.invite_mediator(case=invited, actor=people.user("a_admin"), mediator=people.user("b_mediator"), partner="lawyer")
    codes = [r[0] for r in _sheet(_client(people, "b_mediator").get("/rights/export/"))[1:]]
    assert codes == [invited.tracking_code]


def test_the_api_export_is_masked_and_audited(people):
    hotline_case(people)
    with scopes_disabled():
        _token, key = create_api_token(user=people.user("b_admin"), name="t")
    rows = _sheet(Client().get(f"/api/v1/rights/cases.xlsx?node={people.b.pk}",
                               headers={"Authorization": f"Bearer {key}"}))
    assert rows[1][3] == "刘**" and "刘大海" not in _text(rows)
    entry = AuditEntry.objects.filter(action="rights.cases.exported").get()
    assert entry.data["channel"] == "api" and entry.data["rows"] == 1


def test_the_export_costs_the_same_queries_for_more_cases(people, django_assert_max_num_queries):
    from gonghui.rights.services import cases

    for _ in range(3):
        case = hotline_case(people)
        with scopes_disabled():
            cases.move_case(case=case, name="accept", actor=people.user("a_admin"))
            cases.move_case(case=case, name="assign", actor=people.user("a_admin"), handler=people.user("b_admin"))
    client = _client(people)
    client.get("/rights/export/")
    with django_assert_max_num_queries(30) as few:
        client.get("/rights/export/")
    for _ in range(12):
        hotline_case(people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/rights/export/").status_code == 200
