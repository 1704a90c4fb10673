"""The services' limits of a reason and a term's name are the model field's or a named constant of
activities/limits.py, refused past them with the limit named and nothing changed; the console's
inputs carry the same limits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.activities import limits
from gonghui.activities.models import Activity, BookingState, QueueMove, State, Term
from gonghui.activities.services import catalogue, signup, staff
from gonghui.core.limits import limit_of

from .conftest import book, make_activity, make_worker, refresh, wait
from .test_views import cadre

pytestmark = pytest.mark.django_db


def _refused_naming(call, limit: int) -> None:
    with pytest.raises(ValidationError) as refused:
        with scopes_disabled(), translation.override("en"):
            call()
    said = " ".join(refused.value.messages)
    assert str(limit) in said and "name" not in said.lower()  # a reason is no name: its field is named


def test_reasons_and_a_term_name_past_their_limits_are_refused_and_nothing_changes(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    first, second = wait(activity, make_worker()), wait(activity, make_worker())
    move = limit_of(QueueMove, "reason")
    _refused_naming(lambda: signup.move_in_waitlist(booking=second, actor=tree.user("b_admin"), position=1,
                                                    reason="因" * (move + 1)), move)
    _refused_naming(lambda: staff.remove_from_waitlist(booking=first, actor=tree.user("b_admin"),
                                                       reason="因" * (limits.CANCEL_REASON + 1)), limits.CANCEL_REASON)
    _refused_naming(lambda: catalogue.cancel_activity(activity=refresh(activity), actor=tree.user("a_admin"),
                                                      reason="因" * (limits.CANCEL_REASON + 1)), limits.CANCEL_REASON)
    name = limit_of(Term, "name")
    _refused_naming(lambda: catalogue.create_term(node=tree.c, actor=tree.user("a_admin"), name="期" * (name + 1)),
                    name)
    with scopes_disabled():
        assert not QueueMove.objects.exists() and not Term.objects.exists()
        assert refresh(first).state == BookingState.WAITING
        assert Activity.objects.get(pk=activity.pk).state == State.PUBLISHED
        # at the limit, taken whole
        signup.move_in_waitlist(booking=second, actor=tree.user("b_admin"), position=1, reason="因" * move)
        assert QueueMove.objects.get().reason == "因" * move


def test_the_detail_pages_reason_inputs_carry_the_limits(tree):
    activity = make_activity(tree, capacity=1)
    book(activity, make_worker())
    wait(activity, make_worker())
    page = cadre(tree).get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert page.count(f'maxlength="{limits.CANCEL_REASON}"') >= 2  # cancelling, taking off the list
    assert f'maxlength="{limit_of(QueueMove, "reason")}"' in page
    assert 'maxlength=""' not in page
