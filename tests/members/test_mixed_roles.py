"""Full personal data is decided per row, from the roles that cover that row's union (issue 16, finding 3):
a cadre who is a clerk at township B and only a reviewer at township D sees B's members in full and
D's masked — in the export, the reveal, the detail page and the API alike."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role, RoleAssignment
from gonghui.core.masking import mask_resident_id
from gonghui.core.models import AuditEntry
from gonghui.members.services import roster
from tests.factories import make_user, resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(tree):
    """Clerk at B, reviewer at D; one member under each township."""
    with scopes_disabled():
        user = make_user("mixed", node=tree.b, roles=[Role.CLERK])
        RoleAssignment.objects.create(user=user, node=tree.d, role=Role.REVIEWER)
        at_b = roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="周敏",
                                    id_number=resident_id("19900101", 301), phone="13900001111",
                                    employment_form="contract")
        at_d = roster.create_member(node=tree.d, actor=tree.user("d_admin"), name="吴芳",
                                    id_number=resident_id("19910202", 302), phone="13900002222",
                                    employment_form="contract")
    return user, at_b, at_d


def _cells(response) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [c.value for row in sheet.iter_rows() for c in row if c.value is not None]


def test_export_full_only_where_the_user_may_see_full(client, mixed):
    user, at_b, at_d = mixed
    client.force_login(user)
    response = client.get(reverse("members:export"), {"full": "1", "status": "active"})
    assert response.status_code == 200
    values = _cells(response)
    assert at_b.id_number in values and at_b.phone in values
    assert at_d.id_number not in values and at_d.phone not in values
    assert mask_resident_id(at_d.id_number) in values
    entry = AuditEntry.objects.filter(action="members.roster.exported").get()
    assert entry.data["full_rows"] == 1 and entry.data["rows"] == 2


def test_export_of_the_reviewer_township_alone_is_masked(client, mixed, tree):
    user, _at_b, at_d = mixed
    client.force_login(user)
    values = _cells(client.get(reverse("members:export"), {"full": "1", "node": tree.d.pk}))
    assert at_d.id_number not in values and mask_resident_id(at_d.id_number) in values


def test_reveal_and_detail_follow_the_row(client, mixed):
    user, at_b, at_d = mixed
    client.force_login(user)
    assert at_b.id_number in client.post(reverse("members:reveal", args=[at_b.pk])).content.decode()
    assert client.post(reverse("members:reveal", args=[at_d.pk])).status_code == 403
    assert reverse("members:reveal", args=[at_b.pk]) in client.get(
        reverse("members:detail", args=[at_b.pk])).content.decode()
    page = client.get(reverse("members:detail", args=[at_d.pk]))
    assert page.status_code == 200 and reverse("members:reveal", args=[at_d.pk]) not in page.content.decode()


def test_api_follows_the_row(client, mixed):
    user, at_b, at_d = mixed
    client.force_login(user)
    assert client.post(f"/api/v1/members/{at_b.pk}/reveal").json()["id_number"] == at_b.id_number
    assert client.post(f"/api/v1/members/{at_d.pk}/reveal").status_code == 403
    listed = client.get("/api/v1/members").json()["items"]
    assert {m["id"] for m in listed} == {at_b.pk, at_d.pk}
    assert all(at_d.id_number not in str(m) and at_b.id_number not in str(m) for m in listed)
