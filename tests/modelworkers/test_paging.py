"""The register and a trip's choice of people page instead of stopping silently: row 201 is reachable."""

import datetime
import re

import pytest
from django_scopes import scopes_disabled

from gonghui.modelworkers import services
from gonghui.modelworkers.models import ModelWorker

pytestmark = pytest.mark.django_db
N = 201


def _seen(client, url: str, pages: int) -> set[str]:
    found = set()
    for page in range(1, pages + 1):
        found |= set(re.findall(r"劳模(\d{3})号", client.get(f"{url}page={page}").content.decode()))
    return found


def test_the_register_and_a_trips_people_page_to_row_201(tree, client):
    with scopes_disabled():
        ModelWorker.objects.bulk_create([ModelWorker(node=tree.b, name=f"劳模{i:03d}号", level="county")
                                         for i in range(N)])
        trip = services.create_trip(node=tree.b, actor=tree.user("b_admin"), name="劳模疗休养", place="安吉",
                                    starts_on=datetime.date(2026, 9, 1), ends_on=datetime.date(2026, 9, 5), places=5)
    client.force_login(tree.user("b_admin"))
    first = client.get("/modelworkers/").content.decode()
    assert "1 / 5" in first
    assert len(_seen(client, "/modelworkers/?level=county&", 5)) == N
    assert len(_seen(client, f"/modelworkers/trips/{trip.pk}/?", 5)) == N
    with scopes_disabled():
        last = ModelWorker.objects.get(name="劳模200号")
    client.post(f"/modelworkers/trips/{trip.pk}/", {"person": last.pk})
    with scopes_disabled():
        assert last.care.filter(trip=trip).exists()
    offered = client.get(f"/modelworkers/trips/{trip.pk}/?q=劳模200号").content.decode().split("<tbody>")[-1]
    assert "劳模200号" not in offered  # given a place, no longer offered
