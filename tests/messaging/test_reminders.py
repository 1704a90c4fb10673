"""Reminders: a course session the day before and an hour before (to everyone holding a seat), a seat
offer about to lapse; each once, however often the job runs."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from gonghui.activities.models import Booking, BookingState
from gonghui.core.scoping import scopes_disabled
from gonghui.messaging import reminders
from gonghui.messaging.models import Message
from tests.activities.conftest import book, make_activity, make_worker

pytestmark = pytest.mark.django_db


def test_session_reminders_the_day_before_and_the_hour_before_each_once(tree, clock):
    clock.move_to("2026-03-02T10:00:00")
    start = timezone.now() + datetime.timedelta(days=1, minutes=3)
    course = make_activity(tree, title="插花班", starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                           signup_closes_at=start - datetime.timedelta(hours=2))
    seated, other = make_worker("13500000001"), make_worker("13500000002")
    book(course, seated)
    Message.objects.all().delete()  # the booking's confirmation
    assert reminders.session_reminders(timezone.now()) == 0  # not yet a day before
    clock.move_to("2026-03-02T10:05:00")
    call_command("messaging_reminders")
    call_command("messaging_reminders")  # a second run the same minute: nothing more
    [day] = Message.objects.all()
    assert day.kind == "session_reminder_day" and day.phone == "13500000001" and "插花班" in day.text
    assert not day.urgent
    clock.move_to(start - datetime.timedelta(minutes=58))
    reminders.session_reminders(timezone.now())
    reminders.session_reminders(timezone.now())
    hour = Message.objects.get(kind="session_reminder_hour")
    assert hour.urgent and Message.objects.count() == 2
    assert not Message.objects.filter(phone_hash=other.phone_hash).exists()


def test_an_offer_about_to_lapse_is_reminded_once(tree, clock):
    clock.move_to("2026-03-02T10:00:00")
    course = make_activity(tree)
    worker = make_worker("13500000003")
    with scopes_disabled():
        booking = Booking.objects.create(activity=course, worker=worker, name="王芳", state=BookingState.OFFERED,
                                         offer_expires_at=timezone.now() + datetime.timedelta(hours=3))
    assert reminders.offer_reminders(timezone.now()) == 0
    clock.move_to("2026-03-02T11:30:00")
    reminders.offer_reminders(timezone.now())
    reminders.offer_reminders(timezone.now())
    [message] = Message.objects.filter(kind="seat_offer_lapsing")
    assert message.urgent and message.dedupe_key.startswith(f"offer-lapse:{booking.pk}:")


def test_a_published_courses_sessions_as_a_calendar_file(tree, client):
    course = make_activity(tree, title="书法班，初级", sessions=3)
    response = client.get(f"/w/inbox/courses/{course.pk}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 3 and "SUMMARY:书法班，初级（1）" in body
    assert "LOCATION:青山县职工文化宫三楼舞蹈室" in body and body.endswith("END:VCALENDAR\r\n")
    draft = make_activity(tree, publish=False)
    assert client.get(f"/w/inbox/courses/{draft.pk}.ics").status_code == 404


# --- rights case stages and hardship reviews -----------------------------------------------------------

def _staffed_case(tree, due_on, *, staff=True):
    from gonghui.orgs.models import StaffKind, UnionStaff
    from gonghui.rights.models import Case
    from tests.rights.conftest import hotline_case

    case = hotline_case(tree)
    with scopes_disabled():
        if staff:
            UnionStaff.objects.create(node=case.node, name="周敏", kind=StaffKind.SOCIALIZED, phone="13600006666",
                                      started_on=datetime.date(2024, 3, 1))
        Case.objects.filter(pk=case.pk).update(due_on=due_on, handler=None)
        case.refresh_from_db()
    return case


def test_a_rights_case_stage_due_tomorrow_is_reminded_once_to_its_handler_or_the_unions_staff(tree, clock):
    clock.move_to("2026-03-02T10:00:00")
    case = _staffed_case(tree, datetime.date(2026, 3, 3))
    later = _staffed_case(tree, datetime.date(2026, 3, 5), staff=False)  # not yet
    assert reminders.stage_due_reminders(timezone.now()) == 1
    reminders.stage_due_reminders(timezone.now())  # a second run the same day queues nothing new
    (message,) = Message.objects.filter(kind="rights_stage_due")
    assert message.phone == "13600006666" and case.tracking_code in message.text
    assert message.dedupe_key.startswith(f"stage-due:{case.pk}:")
    # With a handler who has a mobile on record, the reminder of the next stage deadline goes to them.
    handler = tree.user("b_admin")
    handler.phone = "13700007777"
    handler.save(update_fields=["phone"])
    with scopes_disabled():
        type(case).objects.filter(pk=later.pk).update(handler=handler)
    clock.move_to("2026-03-04T09:00:00")
    reminders.stage_due_reminders(timezone.now())
    assert sorted(Message.objects.filter(kind="rights_stage_due").values_list("phone", flat=True)) == \
        ["13600006666", "13700007777"]


def test_the_scheduled_digest_is_sent_not_only_printed(tree, clock):
    from gonghui.messaging import tasks

    clock.move_to("2026-03-09T08:31:00")  # a Monday
    _staffed_case(tree, datetime.date(2026, 3, 2))  # overdue
    tasks.run_job.call("rights-digest")
    from gonghui.core.crypto import blind_index

    assert Message.objects.filter(kind="rights_digest", phone_hash=blind_index("13600006666", purpose="phone")).count() == 1


def test_a_hardship_review_reminder_carries_its_dedupe_key(tree, clock):
    from gonghui.aid.models import HardshipFile
    from gonghui.aid.services import hardship
    from tests.factories import resident_id

    clock.move_to("2026-03-02T09:00:00")
    with scopes_disabled():
        file = hardship.register_file(node=tree.c, actor=tree.user("a_admin"), name="陈秀英", phone="13500004444",
                                      id_number=resident_id("19760312", 77), cause="illness", level="deep",
                                      household_size=3, income_per_head="650", registered_on=datetime.date(2025, 3, 20))
        hardship.send_review_reminders()
        HardshipFile.objects.filter(pk=file.pk).update(reminded_for=None)  # as if the day's job ran twice
        hardship.send_review_reminders()
    (message,) = Message.objects.filter(kind="hardship_review_due")
    assert message.dedupe_key.startswith(f"hardship-review:{file.pk}:")
