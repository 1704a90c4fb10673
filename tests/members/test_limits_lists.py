"""A member's history pages instead of stopping at the latest fifty events."""

from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.members.models import MemberEvent
from gonghui.members.services import roster
from tests.factories import resident_id


def test_a_members_history_pages_past_fifty_events(client, tree):
    with scopes_disabled():
        member = roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="陈志强",
                                      id_number=resident_id("19820303", 315), employment_form="contract")
        before = MemberEvent.objects.filter(member=member).count()
        MemberEvent.objects.bulk_create([MemberEvent(member=member, action=MemberEvent.Action.EDITED, on=member.joined_on,
                                                     reason=f"第{n}次修改") for n in range(60)])
    client.force_login(tree.user("b_admin"))
    first = client.get(reverse("members:detail", args=[member.pk]))
    assert first.status_code == 200
    assert len(first.context["history"]) == 50 and first.context["history"].paginator.count == 60 + before
    assert "hpage=2" in first.content.decode()
    second = client.get(reverse("members:detail", args=[member.pk]), {"hpage": 2})
    assert len(second.context["history"]) == 10 + before
