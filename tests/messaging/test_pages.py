"""The worker's inbox (/w/inbox/) and the county's outbox page for staff."""

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.sessions import SAVED_AT
from gonghui.messaging import selectors, services
from gonghui.messaging.models import Message, State

pytestmark = pytest.mark.django_db


def _worker(phone):
    return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def _client_for(worker):
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


def test_every_message_to_a_worker_is_in_their_inbox_with_an_unread_count(settings):
    settings.GONGHUI_PRIVACY_NOTICE_REQUIRED = False
    me, other = _worker("13812345678"), _worker("13900001111")
    services.queue_message(phone="13812345678", text="您报名的“插花课”已确认", kind="booking_confirmed")
    services.queue_message(phone="13812345678", text="您的申请已通过", kind="member_approved")
    services.queue_message(phone="13900001111", text="别人的消息", kind="general")
    assert selectors.unread_count(me) == 2 and selectors.unread_count(other) == 1 and selectors.unread_count(None) == 0
    client = _client_for(me)
    page = client.get("/w/inbox/").content.decode()
    assert "插花课" in page and "您的申请已通过" in page and "别人的消息" not in page
    # Another worker's message cannot be marked read from my session.
    theirs = Message.objects.get(worker=other)
    client.post("/w/inbox/read/", {"id": theirs.pk})
    assert selectors.unread_count(other) == 1
    first = Message.objects.filter(worker=me).first()
    assert client.post("/w/inbox/read/", {"id": first.pk}).status_code == 302
    assert selectors.unread_count(me) == 1
    client.post("/w/inbox/read/")
    assert selectors.unread_count(me) == 0


def test_a_message_to_a_number_without_a_worker_account_is_sent_but_in_no_inbox():
    message = services.queue_message(phone="13812345678", text="x", kind="member_invitation")
    assert message.worker is None and not message.in_inbox


def test_the_outbox_page_is_for_the_countys_administrators_and_masks_numbers(tree, django_capture_on_commit_callbacks):
    message = services.queue_message(phone="13812345678", text="x", kind="general")
    Message.objects.filter(pk=message.pk).update(state=State.PARKED, provider_answer="isv.SMS_TEMPLATE_ILLEGAL: 模板不合法")
    county, township = Client(), Client()
    county.force_login(tree.users["a_admin"])
    township.force_login(tree.users["b_admin"])
    page = county.get("/messaging/outbox/").content.decode()
    assert "138****5678" in page and "13812345678" not in page and "isv.SMS_TEMPLATE_ILLEGAL" in page
    assert township.get("/messaging/outbox/").status_code == 403
    assert township.post(f"/messaging/outbox/{message.pk}/requeue/").status_code == 403
    assert Message.objects.get(pk=message.pk).state == State.PARKED
    with django_capture_on_commit_callbacks(execute=True):
        assert county.post(f"/messaging/outbox/{message.pk}/requeue/").status_code == 302
    assert Message.objects.get(pk=message.pk).state == State.SENT  # queued again and sent (tests send at once)


def test_a_worker_opts_out_of_notices_to_groups_and_back(settings):
    settings.GONGHUI_PRIVACY_NOTICE_REQUIRED = False
    me = _worker("13812345678")
    client = _client_for(me)
    assert not selectors.opted_out(me)
    client.post("/w/inbox/notices/", {"opt_out": "1"})
    assert selectors.opted_out(me)
    client.post("/w/inbox/notices/", {"opt_out": "0"})
    assert not selectors.opted_out(me)
