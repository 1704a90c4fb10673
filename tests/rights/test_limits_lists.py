"""Check-up lists never stop at a silent cap: the employers offered for a new check-up narrow by
search past CHOOSER_ROWS ("showing N of M"), a check-up's earlier visits say "showing N of M" with a
link to all of them, and the retired checklist items page."""

import datetime
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core import paging
from gonghui.rights.models import CheckupItem
from gonghui.rights.services import checkups
from gonghui.rights.views import checkups as checkup_views
from tests.factories import make_employer

from .test_checkups_agreements import _answers


def _client(people, name="b_admin") -> Client:
    client = Client()
    client.force_login(people.user(name))
    return client


def test_the_employers_offered_for_a_check_up_narrow_by_search_past_the_cap(people, monkeypatch):
    monkeypatch.setattr(paging, "CHOOSER_ROWS", 1)
    with scopes_disabled():
        make_employer(people.b, name="城关镇河口食品厂")
    client = _client(people)
    page = client.get(reverse("rights:checkups"), {"node": people.b.pk}).content.decode()
    shown, total = map(int, re.search(r'data-shown="(\d+)" data-total="(\d+)"', page).groups())
    assert shown == 1 and total >= 2 and 'name="uq"' in page
    assert page.count('</option>', page.index('name="employer"'), page.index("</select>", page.index('name="employer"'))) == 1
    found = client.get(reverse("rights:checkups"), {"node": people.b.pk, "uq": "河口"}).content.decode()
    assert "城关镇河口食品厂</option>" in found and "青山精密机械有限公司</option>" not in found


def test_a_check_up_says_how_many_earlier_visits_it_does_not_show(people, monkeypatch):
    monkeypatch.setattr(checkup_views, "HISTORY_ROWS", 1)
    today = timezone.localdate()
    with scopes_disabled():
        made = [checkups.record_checkup(employer=people.employer_c, actor=people.user("b_clerk"),
                                        visited_on=today - datetime.timedelta(days=n), inspectors=f"法律服务团{n}",
                                        findings=_answers()) for n in range(3)]
    page = _client(people).get(reverse("rights:checkup", args=[made[0].pk])).content.decode()
    assert f"employer={people.employer_c.pk}" in page
    assert "法律服务团1" in page and "法律服务团2" not in page
    assert 'id="history-shown" data-shown="1" data-total="2"' in page


def test_retired_checklist_items_page(people):
    with scopes_disabled():
        first = CheckupItem.objects.order_by("id").first()
        now = timezone.now()
        CheckupItem.objects.bulk_create([
            CheckupItem(code=f"old_{n}", title=f"旧条目{n:02d}", basis=first.basis, order=1000 + n, active=False,
                        retired_at=now - datetime.timedelta(minutes=n)) for n in range(51)])
    client = _client(people, "a_admin")
    page = client.get(reverse("rights:checklist")).content.decode()
    assert "旧条目00" in page and "旧条目50" not in page and "rpage=2" in page
    second = client.get(reverse("rights:checklist"), {"rpage": 2}).content.decode()
    assert "旧条目50" in second and "旧条目00" not in second
