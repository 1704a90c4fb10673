"""Lost updates on the check-up checklist (issue 17, finding 1): two cadres open the same item's
wording, the first saves, the second's save is refused with nothing changed; reordering meanwhile
is no conflict; a stale reword cannot bring back an item retired meanwhile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.core import editing
from gonghui.rights import selectors
from gonghui.rights.models import CheckupItem
from gonghui.rights.services import checklist
from tests.factories import make_user
from tests.stale_kit import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(people):
    """A county clerk (edits the template), as in test_checklist."""
    with scopes_disabled():
        people.users["a_clerk"] = make_user("a_clerk", node=people.a, roles=[Role.CLERK])
    return people


def test_two_cadres_reword_the_same_item_the_second_is_refused(county):
    clerk = county.user("a_clerk")
    with scopes_disabled():
        item = checklist.add_item(actor=clerk, title="是否签订集体合同", basis="劳动合同法第五十一条")
        version = selectors.item_version(item)
        checklist.move_item(item=item, actor=clerk, up=True)  # reordering: no conflict
        checklist.reword_item(item=item, actor=clerk, title="是否依法签订集体合同", basis=item.basis,
                              expected_version=version)
        count = CheckupItem.objects.count()
        with pytest.raises(editing.StaleEdit):
            checklist.reword_item(item=item, actor=clerk, title="是否签订工资专项集体合同", basis=item.basis,
                                  expected_version=version)
        assert CheckupItem.objects.get(pk=item.pk).title == "是否依法签订集体合同"
        assert CheckupItem.objects.count() == count


def test_a_stale_reword_cannot_bring_back_a_retired_item(county):
    clerk = county.user("a_clerk")
    with scopes_disabled():
        item = checklist.add_item(actor=clerk, title="是否建立女职工委员会")
        stale = CheckupItem.objects.get(pk=item.pk)
        checklist.retire_item(item=item, actor=clerk)
        with pytest.raises(ValidationError):
            checklist.reword_item(item=stale, actor=clerk, title="是否建立女职工组织")
        row = CheckupItem.objects.get(pk=item.pk)
    assert not row.active and row.title == "是否建立女职工委员会"


def test_the_page_and_the_api_refuse_a_stale_wording(client, county):
    clerk = county.user("a_clerk")
    with scopes_disabled():
        item = checklist.add_item(actor=clerk, title="是否建立劳动争议调解委员会")
    client.force_login(clerk)
    url = reverse("rights:checklist_item", args=[item.pk])
    data = form_data(client.get(url).content.decode())
    read = client.get("/api/v1/rights/checklist").json()
    version = next(i["version"] for i in (read["items"] if isinstance(read, dict) else read) if i["id"] == item.pk)
    assert data["version"] == version
    with scopes_disabled():
        checklist.reword_item(item=item, actor=clerk, title="是否建立调解委员会")
    response = client.post(url, {**data, "title": "是否建立劳动争议调解组织"})
    assert response.status_code == 200 and str(editing.StaleEdit().message) in response.content.decode()
    stale = client.post(f"/api/v1/rights/checklist/{item.pk}/wording", {"title": "改", "version": version},
                        content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    with scopes_disabled():
        assert CheckupItem.objects.get(pk=item.pk).title == "是否建立调解委员会"
