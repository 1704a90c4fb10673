"""A union's history pages instead of stopping at its latest hundred events."""

from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.orgs.models import NodeEvent


def test_a_unions_history_pages_past_fifty_events(client, tree):
    with scopes_disabled():
        NodeEvent.objects.filter(node=tree.b).delete()
        NodeEvent.objects.bulk_create([NodeEvent(node=tree.b, action=NodeEvent.Action.UPDATED,
                                                 data={"n": n}) for n in range(120)])
    client.force_login(tree.user("a_admin"))
    first = client.get(reverse("orgs:node", args=[tree.b.pk]))
    assert first.status_code == 200
    assert len(first.context["history"]) == 50 and first.context["history"].paginator.count == 120
    assert "hpage=2" in first.content.decode()
    last = client.get(reverse("orgs:node", args=[tree.b.pk]), {"hpage": 3})
    assert len(last.context["history"]) == 20  # events 101-120 are reached, not cut at 100
