"""Text over its limit is refused by the members services with the limit named (in Chinese under
zh-hans) and nothing changes; the limit is the model field's or a named constant."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core.limits import TooLong, limit_of
from gonghui.core.models import AuditEntry
from gonghui.members.limits import REVEAL_PURPOSE
from gonghui.members.models import Transfer
from gonghui.members.services import roster, transfer
from tests.factories import resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(tree):
    with scopes_disabled():
        return roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="王建国",
                                    id_number=resident_id("19880512", 137), employment_form="contract",
                                    joined_on=datetime.date(2024, 3, 1))


def reveals() -> int:
    with scopes_disabled():
        return AuditEntry.objects.filter(action="members.member.reveal").count()


def test_a_reveal_purpose_over_its_limit_is_refused_in_chinese_and_nothing_is_revealed(tree, member):
    with scopes_disabled(), translation.override("zh-hans"), pytest.raises(TooLong) as refused:
        roster.reveal_member(member=member, actor=tree.user("b_clerk"), purpose="核" * (REVEAL_PURPOSE + 1))
    assert refused.value.field == "purpose" and refused.value.limit == REVEAL_PURPOSE
    assert f"不能超过 {REVEAL_PURPOSE} 个字" in refused.value.message
    assert reveals() == 0
    with scopes_disabled():
        roster.reveal_member(member=member, actor=tree.user("b_clerk"), purpose="核" * REVEAL_PURPOSE)
        entry = AuditEntry.objects.get(action="members.member.reveal")
    assert entry.data["purpose"] == "核" * REVEAL_PURPOSE  # kept whole, not cut to a label


def test_the_reveal_page_says_why_and_shows_nothing(client, tree, member):
    client.force_login(tree.user("b_clerk"))
    response = client.post(reverse("members:reveal", args=[member.pk]), {"purpose": "核" * (REVEAL_PURPOSE + 1)},
                           HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert response.status_code == 200
    assert f"不能超过 {REVEAL_PURPOSE} 个字" in response.content.decode()
    assert member.id_number not in response.content.decode()
    assert reveals() == 0


def test_a_transfer_reason_over_the_fields_limit_is_refused_and_no_transfer_is_made(tree, member):
    limit = limit_of(Transfer, "reason")
    with scopes_disabled(), translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"), reason="调" * (limit + 1))
    assert str(limit) in " ".join(refused.value.messages)
    with scopes_disabled():
        assert not Transfer.objects.exists()
