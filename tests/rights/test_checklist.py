"""The editable check-up template: county cadres add, reword, reorder, retire and bring back items;
check-ups already made keep the items, wording and order they were made with."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.accounts.services import create_api_token
from gonghui.core.errors import NotPermitted
from gonghui.rights import selectors
from gonghui.rights.models import CheckupItem
from gonghui.rights.selectors import checklist_items
from gonghui.rights.services import checklist, checkups
from tests.factories import make_user

from .conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(people):
    """A county clerk (edits the template; no second factor needed for a clerk)."""
    with scopes_disabled():
        people.users["a_clerk"] = make_user("a_clerk", node=people.a, roles=[Role.CLERK])
    return people


def _visit(tree, **answers):
    findings = {item.code: {"result": "ok"} for item in list(checklist_items())}
    findings.update(answers)
    with scopes_disabled():
        return checkups.record_checkup(employer=tree.employer_c, actor=tree.user("b_clerk"),
                                       visited_on=timezone.localdate(), inspectors="县总工会法律服务团",
                                       findings=findings)


def _titles(checkup):
    with scopes_disabled():
        return [f.item.title for f in selectors.checkup_findings(checkup)]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_added_item_is_asked_by_new_check_ups_only(county):
    before = _visit(county)
    item = checklist.add_item(actor=county.user("a_clerk"), title="竞业限制约定合法", basis="《劳动合同法》第二十三条")
    assert list(checklist_items())[-1] == item
    with pytest.raises(ValidationError) as exc:  # the new item must be answered
        _visit(county, **{item.code: {}})
    assert f"item_{item.code}" in exc.value.message_dict
    after = _visit(county)
    assert "竞业限制约定合法" in _titles(after) and "竞业限制约定合法" not in _titles(before)


def test_rewording_an_answered_item_makes_a_new_version_and_the_past_keeps_the_old(county):
    item = CheckupItem.objects.get(code="overtime_pay")
    past = _visit(county)
    new = checklist.reword_item(item=item, actor=county.user("a_clerk"), title="加班工资按150%/200%/300%支付",
                                basis="《劳动法》第四十四条")
    item.refresh_from_db()
    assert new.pk != item.pk and new.replaces == item and new.order == item.order
    assert not item.active and item.retired_at is not None
    assert "加班加点工资按标准支付" in _titles(past) and "加班工资按150%/200%/300%支付" not in _titles(past)
    assert "加班工资按150%/200%/300%支付" in _titles(_visit(county))
    page = _client(county.user("b_admin")).get(f"/rights/checkups/{past.pk}/").content.decode()
    assert "加班加点工资按标准支付" in page


def test_rewording_an_unanswered_item_corrects_it_in_place(county):
    item = checklist.add_item(actor=county.user("a_clerk"), title="竞业限制约定合法")
    same = checklist.reword_item(item=item, actor=county.user("a_clerk"), title="竞业限制约定合法有效",
                                 basis="《劳动合同法》第二十四条")
    assert same.pk == item.pk and CheckupItem.objects.get(pk=item.pk).title == "竞业限制约定合法有效"


def test_retired_items_leave_new_check_ups_and_stay_in_past_ones_and_can_come_back(county):
    past = _visit(county)
    item = CheckupItem.objects.get(code="dispatch")
    checklist.retire_item(item=item, actor=county.user("a_clerk"))
    assert item not in list(checklist_items())
    assert "劳务派遣用工比例不超过10%" in _titles(past)
    assert "劳务派遣用工比例不超过10%" not in _titles(_visit(county))
    form = _client(county.user("b_admin")).get(f"/rights/checkups/new/?employer={county.employer_c.pk}")
    assert "劳务派遣" not in form.content.decode()
    checklist.restore_item(item=item, actor=county.user("a_clerk"))
    assert list(checklist_items())[-1] == item


def test_reordering_changes_new_check_ups_and_not_past_ones(county):
    past = _visit(county)
    old_order = _titles(past)
    ids = [i.pk for i in list(checklist_items())]
    checklist.reorder_checklist(actor=county.user("a_clerk"), ids=list(reversed(ids)))
    assert [i.pk for i in list(checklist_items())] == list(reversed(ids))
    assert _titles(past) == old_order
    assert _titles(_visit(county)) == list(reversed(old_order))


def test_the_console_arrows_move_an_item(county):
    client = _client(county.user("a_clerk"))
    first, second = list(checklist_items())[:2]
    response = client.post(f"/rights/checklist/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    assert [i.pk for i in list(checklist_items())[:2]] == [second.pk, first.pk]


def test_the_page_adds_and_rewords_items(county):
    client = _client(county.user("a_clerk"))
    page = client.get("/rights/checklist/")
    assert page.status_code == 200 and "书面劳动合同签订" in page.content.decode() and 'action="/rights/checklist/' in (
        page.content.decode())
    assert client.post("/rights/checklist/", {"title": "职工名册建立", "basis": "《劳动合同法》第七条"}).status_code == 302
    item = CheckupItem.objects.get(title="职工名册建立")
    assert client.post(f"/rights/checklist/{item.pk}/", {"title": "职工名册建立并备查", "basis": ""}).status_code == 302
    assert CheckupItem.objects.get(pk=item.pk).title == "职工名册建立并备查"


def test_a_township_cadre_reads_the_checklist_but_cannot_change_it(county):
    client = _client(county.user("b_admin"))
    page = client.get("/rights/checklist/").content.decode()
    assert "书面劳动合同签订" in page and "rights/checklist/" not in page.split("</table>")[0].split("<tbody>")[1]
    item = CheckupItem.objects.get(code="contracts")
    before = snapshot()
    for url, data in [("/rights/checklist/", {"title": "新项目"}), (f"/rights/checklist/{item.pk}/", {"title": "改"}),
                      (f"/rights/checklist/{item.pk}/move/", {"direction": "down"}),
                      (f"/rights/checklist/{item.pk}/retire/", {})]:
        assert client.post(url, data).status_code == 403, url
    with pytest.raises(NotPermitted):
        checklist.add_item(actor=county.user("b_admin"), title="新项目")
    assert snapshot() == before


@pytest.mark.parametrize("title, basis, field", [
    ("", "", "title"),
    ("   ", "", "title"),
    ("两行\n标题", "", "title"),
    ("x" * 101, "", "title"),
    ("书面劳动合同签订", "", "title"),          # already in the checklist
    ("有效项目", "第一行\n第二行", "basis"),
    ("含控制字符\u202e", "", "title"),
])
def test_bad_items_are_refused_with_a_message_and_nothing_changes(county, title, basis, field):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        checklist.add_item(actor=county.user("a_clerk"), title=title, basis=basis)
    assert field in exc.value.message_dict and exc.value.message_dict[field][0]
    assert snapshot() == before


def test_the_page_shows_the_error_in_chinese_and_adds_nothing(county):
    before = snapshot()
    response = _client(county.user("a_clerk")).post("/rights/checklist/", {"title": "书面劳动合同签订"})
    assert response.status_code == 400 and "体检项目中已有此项" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("mangle", [
    lambda ids: ids[:-1],                 # one missing (someone added one meanwhile)
    lambda ids: ids + [ids[0]],           # one twice
    lambda ids: ids[:-1] + [999999],      # a stranger
    lambda ids: ["a", "b"],               # not numbers
])
def test_a_reorder_that_does_not_name_every_item_once_is_refused(county, mangle):
    ids = [i.pk for i in list(checklist_items())]
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        checklist.reorder_checklist(actor=county.user("a_clerk"), ids=mangle(ids))
    assert "ids" in exc.value.message_dict
    assert snapshot() == before


def test_the_last_item_cannot_be_retired(county):
    items = list(checklist_items())
    for item in items[1:]:
        checklist.retire_item(item=item, actor=county.user("a_clerk"))
    with pytest.raises(ValidationError):
        checklist.retire_item(item=items[0], actor=county.user("a_clerk"))
    assert CheckupItem.objects.get(pk=items[0].pk).active


def test_every_change_is_audited(county):
    from gonghui.core.models import AuditEntry

    actor = county.user("a_clerk")
    item = checklist.add_item(actor=actor, title="职工名册建立")
    checklist.reword_item(item=item, actor=actor, title="职工名册建立并备查")
    checklist.retire_item(item=item, actor=actor)
    checklist.restore_item(item=item, actor=actor)
    checklist.reorder_checklist(actor=actor, ids=[i.pk for i in reversed(list(checklist_items()))])
    actions = list(AuditEntry.objects.filter(action__startswith="rights.checklist.").values_list("action", flat=True))
    assert actions == ["rights.checklist.item_added", "rights.checklist.item_corrected",
                       "rights.checklist.item_retired", "rights.checklist.item_restored", "rights.checklist.reordered"]


def _api(tree, username):
    with scopes_disabled():
        _token, key = create_api_token(user=tree.user(username), name="t")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    client.get("/api/v1/rights/checklist")  # first-use stamp out of the way of snapshots
    return client


def test_the_api_reads_and_edits_the_checklist(county, django_assert_max_num_queries):
    client = _api(county, "a_clerk")
    with django_assert_max_num_queries(6):
        items = client.get("/api/v1/rights/checklist").json()["items"]
    assert [i["code"] for i in items[:2]] == ["contracts", "wages_on_time"]
    added = client.post("/api/v1/rights/checklist", {"title": "职工名册建立", "basis": ""},
                        content_type="application/json")
    assert added.status_code == 201 and added.json()["order"] > items[-1]["order"]
    ids = [i["id"] for i in client.get("/api/v1/rights/checklist").json()["items"]]
    reordered = client.put("/api/v1/rights/checklist/order", {"ids": ids[::-1]}, content_type="application/json")
    assert reordered.status_code == 200 and [i["id"] for i in reordered.json()] == ids[::-1]
    _visit(county)
    reworded = client.post(f"/api/v1/rights/checklist/{ids[0]}/wording", {"title": "书面劳动合同签订率100%"},
                           content_type="application/json").json()
    assert reworded["id"] != ids[0] and reworded["replaces_id"] == ids[0]
    retired = client.get("/api/v1/rights/checklist?retired=true").json()["items"]
    assert [i["id"] for i in retired] == [ids[0]]
    bad = client.put("/api/v1/rights/checklist/order", {"ids": ids}, content_type="application/json")
    assert bad.status_code in (400, 422) and "ids" in bad.content.decode()


def test_a_township_token_cannot_edit_through_the_api(county):
    client = _api(county, "b_admin")
    assert client.get("/api/v1/rights/checklist").json()["count"] == 11
    before = snapshot()
    item = CheckupItem.objects.get(code="contracts")
    assert client.post("/api/v1/rights/checklist", {"title": "新项目"},
                       content_type="application/json").status_code == 403
    assert client.post(f"/api/v1/rights/checklist/{item.pk}/retire", {},
                       content_type="application/json").status_code == 403
    assert snapshot() == before


def test_the_checklist_page_costs_the_same_queries_for_more_items(county, django_assert_max_num_queries):
    client = _client(county.user("a_clerk"))
    client.get("/rights/checklist/")
    for n in range(10):
        checklist.add_item(actor=county.user("a_clerk"), title=f"补充项目{n}")
    with django_assert_max_num_queries(12):
        assert client.get("/rights/checklist/").status_code == 200


def test_an_item_over_the_fields_limit_is_refused_with_the_limit_named(county):
    from django.utils import translation

    from gonghui.core.limits import limit_of

    limit = limit_of(CheckupItem, "title")
    with scopes_disabled():
        before = CheckupItem.objects.count()
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        checklist.add_item(actor=county.user("a_clerk"), title="项" * (limit + 1))
    assert str(limit) in refused.value.message_dict["title"][0]
    with scopes_disabled():
        assert CheckupItem.objects.count() == before
