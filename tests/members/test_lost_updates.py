"""Lost updates (issue 17, finding 1): an edit of a member never undoes a leave or a transfer made
meanwhile; an edit form rendered before another change is refused with "reload"."""

import datetime
import re

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError
from gonghui.members import selectors
from gonghui.members.models import Member, MemberStatus
from gonghui.members.services import roster, transfer
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


def _member(tree, seq=401):
    with scopes_disabled():
        return roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="秦岚",
                                    id_number=resident_id("19900101", seq), phone="13900004444",
                                    employment_form="contract", joined_on=datetime.date(2024, 1, 1))


def test_an_edit_with_a_stale_copy_keeps_the_leave(tree):
    member = _member(tree)
    stale = Member.objects.with_scopes_disabled().get(pk=member.pk)  # the row as the edit loaded it
    with scopes_disabled():
        roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="调离本单位",
                              on=member.joined_on)
        roster.update_member(member=stale, actor=tree.user("b_clerk"), phone="13900005555")
        row = Member.objects.get(pk=member.pk)
    assert row.status == MemberStatus.LEFT  # the leave stands
    assert row.phone == "13900005555" and row.phone_hash == roster.phone_hash("13900005555")


def test_an_edit_with_a_stale_copy_keeps_the_transfer(people):
    tree = people
    member = _member(tree, 402)
    stale = Member.objects.with_scopes_disabled().get(pk=member.pk)
    with scopes_disabled():
        t = transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"), reason="工作调动")
        transfer.approve_transfer(transfer=t, actor=tree.user("b_reviewer"), side="out")
        transfer.approve_transfer(transfer=t, actor=tree.user("d_reviewer"), side="in")
        roster.update_member(member=stale, actor=tree.user("a_admin"), ethnicity="回族")
        row = Member.objects.get(pk=member.pk)
    assert row.node_id == tree.d.pk and row.ethnicity == "回族"


def test_a_stale_version_is_refused_and_changes_nothing(tree):
    member = _member(tree, 403)
    version = selectors.member_version(member)
    with scopes_disabled():
        roster.update_member(member=member, actor=tree.user("b_clerk"), ethnicity="满族", expected_version=version)
        with pytest.raises(DomainError) as refused:
            roster.update_member(member=member, actor=tree.user("b_clerk"), ethnicity="回族",
                                 expected_version=version)
        assert refused.value.code == "stale"
        assert Member.objects.get(pk=member.pk).ethnicity == "满族"


def _form(page: str) -> dict:
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    fields.update({"ethnicity": "汉族", "employment_form": "contract", "member_type": "full",
                   "joined_on": "2024-01-01", "phone": "13900006666"})
    return fields


def test_the_edit_page_refuses_a_form_opened_before_a_leave(client, tree):
    member = _member(tree, 404)
    client.force_login(tree.user("b_clerk"))
    url = reverse("members:edit", args=[member.pk])
    data = _form(client.get(url).content.decode())
    assert data.get("version")
    with scopes_disabled():
        roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="调离本单位", on=member.joined_on)
    response = client.post(url, data)
    assert response.status_code == 200
    assert roster._stale_error().message in response.content.decode()  # in the page's language (Chinese)
    with scopes_disabled():
        row = Member.objects.get(pk=member.pk)
    assert row.status == MemberStatus.LEFT and row.phone == "13900004444"


def test_the_edit_page_saves_a_fresh_form(client, tree):
    member = _member(tree, 405)
    client.force_login(tree.user("b_clerk"))
    url = reverse("members:edit", args=[member.pk])
    response = client.post(url, _form(client.get(url).content.decode()))
    assert response.status_code == 302
    with scopes_disabled():
        assert Member.objects.get(pk=member.pk).phone == "13900006666"


def test_the_api_refuses_a_patch_with_a_stale_version(client, tree):
    member = _member(tree, 406)
    client.force_login(tree.user("b_clerk"))
    read = client.get(f"/api/v1/members/{member.pk}").json()
    with scopes_disabled():
        roster.end_membership(member=member, actor=tree.user("b_clerk"), reason="调离本单位", on=member.joined_on)
    stale = client.patch(f"/api/v1/members/{member.pk}", {"phone": "13900007777", "version": read["version"]},
                         content_type="application/json")
    assert stale.status_code in (400, 409) and stale.json()["code"] == "stale"
    fresh = client.get(f"/api/v1/members/{member.pk}").json()
    ok = client.patch(f"/api/v1/members/{member.pk}", {"phone": "13900007777", "version": fresh["version"]},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "left"
    with scopes_disabled():
        assert Member.objects.get(pk=member.pk).phone == "13900007777"
