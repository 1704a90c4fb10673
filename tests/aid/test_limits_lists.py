"""A hardship file's history pages instead of stopping at its latest fifty events."""

import pytest
from django.urls import reverse

from gonghui.aid.models import HardshipEvent

from .test_hardship_and_wishes import register

pytestmark = pytest.mark.usefixtures("unscoped")


def test_a_hardship_files_history_pages_past_fifty_events(client, people):
    file = register(people)
    before = HardshipEvent.objects.filter(file=file).count()
    HardshipEvent.objects.bulk_create([HardshipEvent(file=file, action=HardshipEvent.objects.filter(file=file)
                                                     .values_list("action", flat=True).first(), note=f"第{n}次")
                                       for n in range(60)])
    client.force_login(people.user("b_clerk"))
    first = client.get(reverse("aid:hardship", args=[file.pk]))
    assert first.status_code == 200
    assert len(first.context["events"]) == 50 and first.context["events"].paginator.count == 60 + before
    assert "epage=2" in first.content.decode()
    second = client.get(reverse("aid:hardship", args=[file.pk]), {"epage": 2})
    assert len(second.context["events"]) == 10 + before
