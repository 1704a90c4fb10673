"""The counsellor's calls and sessions and the supervision list page instead of stopping silently:
row 201 is reachable (the lists stopped at 300 before)."""

import datetime
import re

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.counselling.models import HotlineCall
from tests.counselling.kit import counsellor

pytestmark = pytest.mark.django_db
N = 351


def test_the_counsellors_calls_page_past_the_old_cap(tree, client):
    c = counsellor(tree)
    start = timezone.now() - datetime.timedelta(days=400)
    with scopes_disabled():
        HotlineCall.objects.bulk_create([HotlineCall(counsellor=c, called_at=start + datetime.timedelta(hours=i),
                                                     minutes=1 + i % 60, category="work") for i in range(N)])
    client.force_login(c.user)
    ids = set()
    for page in range(1, 9):
        ids |= set(re.findall(r"/counselling/calls/(\d+)/", client.get(f"/counselling/calls/?page={page}")
                              .content.decode()))
    assert len(ids) == N
