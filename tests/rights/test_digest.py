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


def _late_case_with_staff(people):
    late = hotline_case(people)
    with scopes_disabled():
        Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
        orgs.add_staff(node=people.c, actor=people.user("a_admin"), name="陈主席", kind="vice_chair",
                       started_on=datetime.date(2024, 1, 1), phone="13700001111")
    return late


def test_a_second_send_the_same_day_sends_nothing_and_is_recorded(people, django_capture_on_commit_callbacks):
    from gonghui.core.models import AuditEntry
    from gonghui.rights.models import DigestRun

    _late_case_with_staff(people)
    MemoryNotifier.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rights_digest", "--send", stdout=StringIO())
    assert len(MemoryNotifier.outbox) == 1
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rights_digest", "--send", stdout=out)
    assert len(MemoryNotifier.outbox) == 1                        # nothing more sent
    assert "今日摘要已于" in out.getvalue() and "本次未发送" in out.getvalue()
    run = DigestRun.objects.get()
    assert run.day == timezone.localdate() and run.messages == 1 and run.cases == 1 and run.repeats == 1
    assert list(AuditEntry.objects.filter(action__startswith="rights.digest.").values_list("action", flat=True)) == [
        "rights.digest.sent", "rights.digest.repeat_skipped"]


def test_printing_records_nothing_and_the_next_day_sends_again(people, django_capture_on_commit_callbacks):
    from gonghui.rights.models import DigestRun
    from gonghui.rights.services.digest import send_digest

    _late_case_with_staff(people)
    call_command("rights_digest", stdout=StringIO())
    assert not DigestRun.objects.exists()
    MemoryNotifier.outbox.clear()
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digest(today=today).sent
        assert not send_digest(today=today).sent
        assert send_digest(today=today + datetime.timedelta(days=1)).sent
    assert len(MemoryNotifier.outbox) == 2 and DigestRun.objects.count() == 2


def test_a_run_that_fails_before_committing_claims_nothing(people, django_capture_on_commit_callbacks, monkeypatch):
    from gonghui.rights.models import DigestRun
    from gonghui.rights.services import digest

    _late_case_with_staff(people)
    MemoryNotifier.outbox.clear()

    def broken(node, cases):
        raise RuntimeError("template store down")

    monkeypatch.setattr(digest, "_message", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        digest.send_digest()
    assert not DigestRun.objects.exists() and not MemoryNotifier.outbox
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send_digest().sent
    assert len(MemoryNotifier.outbox) == 1
