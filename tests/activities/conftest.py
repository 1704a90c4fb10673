import datetime
import itertools

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.activities.services import catalogue, signup
from gonghui.core.crypto import blind_index
from gonghui.members.services import roster
from tests.factories import resident_id

_phones = itertools.count(1)


def make_worker(phone: str | None = None) -> Worker:
    phone = phone or f"135{next(_phones):08d}"
    with scopes_disabled():
        return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def make_member_worker(tree, node, seq: int):
    """A worker whose phone is on the roster of ``node`` (an active member)."""
    phone = f"136{seq:08d}"
    with scopes_disabled():
        roster.create_member(node=node, actor=tree.user("a_admin"), name="陈晓燕",
                             id_number=resident_id("19900202", seq % 1000), phone=phone,
                             employment_form="contract", joined_on=datetime.date(2024, 3, 1))
    return make_worker(phone)


def make_activity(tree, node=None, *, publish=True, actor="a_admin", opens_in=-3600, **fields):
    now = timezone.now()
    start = now + datetime.timedelta(days=7)
    values = {
        "title": "职工舞蹈班", "kind": "course", "audience": "all", "venue_text": "青山县职工文化宫三楼舞蹈室",
        "starts_at": start, "ends_at": start + datetime.timedelta(hours=2), "capacity": 3,
        "signup_opens_at": now + datetime.timedelta(seconds=opens_in),
        "signup_closes_at": start - datetime.timedelta(hours=1),
    }
    values.update(fields)
    with scopes_disabled():
        activity = catalogue.create_activity(node=node or tree.c, actor=tree.user(actor),
                                             sessions=values.pop("sessions", 1), **values)
        if publish:
            activity = catalogue.publish_activity(activity=activity, actor=tree.user(actor))
    return activity


def book(activity, worker, *, name="张伟", key=None):
    from gonghui.activities.models import Activity

    with scopes_disabled():
        fresh = Activity.objects.get(pk=activity.pk)
    return signup.sign_up(activity=fresh, worker=worker, key=key or signup.issue_signup_key(activity=fresh, worker=worker),
                          name=name)


def wait(activity, worker, *, name="李娜", key=None):
    from gonghui.activities.models import Activity

    with scopes_disabled():
        fresh = Activity.objects.get(pk=activity.pk)
    return signup.join_waitlist(activity=fresh, worker=worker,
                                key=key or signup.issue_signup_key(activity=fresh, worker=worker), name=name)


def refresh(obj):
    with scopes_disabled():
        return type(obj).objects.get(pk=obj.pk)


@pytest.fixture
def activity(tree):
    return make_activity(tree)


REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def on_redis(settings):
    """The flash sale's Redis (a database of its own, emptied before and after)."""
    import redis

    from gonghui.activities import flash

    settings.REDIS_URL = REDIS
    flash._paused_until = 0.0
    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    yield client
    client.flushdb()
