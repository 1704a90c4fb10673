"""``gonghui activities-expire-offers``: lapses overdue offers and offers the seat to the next in line."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities.models import Booking, BookingState

from .conftest import book, make_activity, make_worker, refresh, wait


def _overdue_offer(tree):
    activity = make_activity(tree, capacity=1)
    first = book(activity, make_worker())
    offered, second = wait(activity, make_worker()), wait(activity, make_worker())
    from gonghui.activities.services import signup

    with scopes_disabled():
        signup.cancel_booking(booking=first, worker=first.worker)
        offered = refresh(offered)
        assert offered.state == BookingState.OFFERED
        Booking.objects.filter(pk=offered.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    return activity, offered, second


def test_the_command_lapses_overdue_offers_and_moves_on(tree):
    activity, offered, second = _overdue_offer(tree)
    out = io.StringIO()
    call_command("activities_expire_offers", stdout=out)
    assert "1" in out.getvalue()
    assert refresh(offered).state == BookingState.EXPIRED
    assert refresh(second).state == BookingState.OFFERED
    assert refresh(activity).taken == 1 and refresh(activity).waiting == 0
    again = io.StringIO()
    call_command("activities_expire_offers", stdout=again)  # a second run changes nothing
    assert "0" in again.getvalue() and refresh(second).state == BookingState.OFFERED


def test_the_command_can_limit_itself_to_one_activity(tree):
    activity, offered, _second = _overdue_offer(tree)
    call_command("activities_expire_offers", "--activity", str(activity.pk + 1000), stdout=io.StringIO())
    assert refresh(offered).state == BookingState.OFFERED
    call_command("activities_expire_offers", "--activity", str(activity.pk), stdout=io.StringIO())
    assert refresh(offered).state == BookingState.EXPIRED


def test_a_bad_activity_id_is_refused(db):
    with pytest.raises(CommandError):
        call_command("activities_expire_offers", "--activity", "0", stdout=io.StringIO())
