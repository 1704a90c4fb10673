"""The daily digest of overdue cases, per union, printed and sent to the union's staff."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.notify import MemoryNotifier
from gonghui.orgs import services as orgs
from gonghui.rights.models import Case

from .conftest import hotline_case

pytestmark = pytest.mark.django_db


def test_digest_lists_overdue_cases_per_union_and_notifies_staff(people, django_capture_on_commit_callbacks):
    late, on_time = hotline_case(people), hotline_case(people, node=people.d)
    with scopes_disabled():
        Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
        orgs.add_staff(node=people.c, actor=people.user("a_admin"), name="陈主席", kind="vice_chair",
                       started_on=datetime.date(2024, 1, 1), phone="13700001111")
    MemoryNotifier.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rights_digest", "--send", stdout=out)
    text = out.getvalue()
    assert late.tracking_code in text and on_time.tracking_code not in text and people.c.name in text
    assert MemoryNotifier.outbox and MemoryNotifier.outbox[-1][0] == "13700001111"
    assert late.tracking_code in MemoryNotifier.outbox[-1][1]
