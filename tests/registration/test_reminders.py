"""Renewal reminders (换领): sent to the union's staff from 30 days before expiry, once per registration
and validity end; the register shows the registrations due."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.core.notify import MemoryNotifier
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node
from gonghui.registration.models import Registration, RenewalReminder
from gonghui.registration.services import register, reminders

from .conftest import FORM, union_code

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _registered(tree, node, name, valid_until):
    with scopes_disabled():
        registration = register.import_record(node=Node.objects.get(pk=node.pk), credit_code=union_code(),
                                              registered_on=datetime.date(2022, 1, 5), actor=None,
                                              **{**FORM, "name": name})
        Registration.objects.filter(pk=registration.pk).update(valid_until=valid_until)
        registration.refresh_from_db()
    return registration


@pytest.fixture
def staffed(tree, unscoped):
    orgs.add_staff(node=tree.c, actor=tree.user("a_admin"), name="王丽", kind="vice_chair",
                   started_on=datetime.date(2023, 1, 1), phone="13900001111")
    orgs.add_staff(node=tree.c, actor=tree.user("a_admin"), name="赵强", kind="cadre",
                   started_on=datetime.date(2023, 1, 1), phone="13900002222")
    ended = orgs.add_staff(node=tree.c, actor=tree.user("a_admin"), name="钱进", kind="cadre",
                           started_on=datetime.date(2020, 1, 1), phone="13900003333")
    type(ended).objects.filter(pk=ended.pk).update(ended_on=datetime.date(2024, 1, 1))  # left: not told


def _run() -> str:
    out = io.StringIO()
    call_command("registration_reminders", stdout=out)
    return out.getvalue()


def test_due_registrations_are_reminded_once_per_window(tree, office, staffed, django_capture_on_commit_callbacks):
    due = _registered(tree, tree.c, "青山精密机械有限公司工会", TODAY + datetime.timedelta(days=20))
    b_union = orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name="远期公司工会",
                               kind="enterprise")
    _registered(tree, b_union, "远期公司工会", TODAY + datetime.timedelta(days=31))   # not yet due
    MemoryNotifier.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = _run()
    assert "青山精密机械有限公司工会" in out and "远期公司工会" not in out and "1 reminder(s)." in out
    assert sorted(phone for phone, _text in MemoryNotifier.outbox) == ["13900001111", "13900002222"]
    text = MemoryNotifier.outbox[0][1]
    assert "青山精密机械有限公司工会" in text and str(due.valid_until) in text and "青山县总工会" in text
    with scopes_disabled():
        reminder = RenewalReminder.objects.get()
        assert reminder.registration_id == due.pk and reminder.recipients == 2
        assert AuditEntry.objects.filter(action="registration.renewal_reminder", object_id=str(due.pk)).count() == 1

    # the next day's run reminds no one again
    MemoryNotifier.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = _run()
    assert "0 reminder(s)." in out and MemoryNotifier.outbox == []
    with scopes_disabled():
        assert RenewalReminder.objects.count() == 1

    # a new validity end (after a renewal) is a new window: reminded again when it comes near
    with scopes_disabled():
        Registration.objects.filter(pk=due.pk).update(valid_until=TODAY + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 reminder(s)." in _run()
    assert len(MemoryNotifier.outbox) == 2
    with scopes_disabled():
        assert RenewalReminder.objects.count() == 2


def test_a_union_without_staff_on_file_is_recorded_and_cancelled_ones_are_skipped(tree, office, unscoped,
                                                                               django_capture_on_commit_callbacks):
    due = _registered(tree, tree.c, "青山精密机械有限公司工会", TODAY - datetime.timedelta(days=2))  # overdue
    d_union = orgs.create_node(parent=Node.objects.get(pk=tree.d.pk), actor=None, name="河口撤销公司工会",
                               kind="enterprise")
    cancelled = _registered(tree, d_union, "河口撤销公司工会", TODAY + datetime.timedelta(days=5))
    Registration.objects.filter(pk=cancelled.pk).update(status="cancelled")
    MemoryNotifier.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.send_renewal_reminders()
    assert [r.pk for r in sent] == [due.pk] and sent[0].notified == 0
    assert MemoryNotifier.outbox == []
    assert RenewalReminder.objects.get().recipients == 0


def test_a_failed_run_notifies_no_one(tree, office, staffed, django_capture_on_commit_callbacks, monkeypatch):
    _registered(tree, tree.c, "青山精密机械有限公司工会", TODAY + datetime.timedelta(days=10))
    MemoryNotifier.outbox.clear()

    def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(reminders, "audit", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        reminders.send_renewal_reminders()
    assert MemoryNotifier.outbox == [] and not RenewalReminder.objects.exists()


def test_the_register_marks_the_registrations_due(tree, office):
    due = _registered(tree, tree.c, "青山精密机械有限公司工会", TODAY + datetime.timedelta(days=30))
    b_union = orgs.create_node(parent=Node.objects.get(pk=tree.b.pk), actor=None, name="远期公司工会",
                               kind="enterprise")
    later = _registered(tree, b_union, "远期公司工会", TODAY + datetime.timedelta(days=400))
    client = Client()
    client.force_login(tree.user("b_admin"))
    page = client.get("/registration/register/").content.decode()
    assert f'data-due="{due.pk}"' in page and f'data-due="{later.pk}"' not in page
    assert "待换领</span>" in page
    page = client.get("/registration/register/?due=1").content.decode()
    assert f"/registration/register/{due.pk}/" in page and f"/registration/register/{later.pk}/" not in page

