"""Sign-in codes go through the outbox as urgent messages: written with the code's row, never sent in the
request, not held by quiet hours or the daily cap, taken before a long batch, never in an inbox, on the
staff page or in a log, wiped once sent, and not sent after the code has expired."""

import json
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gonghui.accounts import services as accounts
from gonghui.accounts.models import PhoneCode, Worker
from gonghui.accounts.sms import MemorySmsBackend
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.messaging import services
from gonghui.messaging.models import Message, State
from tests.accounts.test_sms_providers import ALIYUN_OK, StandIn, _provider_settings

from .notifiers import Flaky

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def test_the_sign_in_page_writes_an_urgent_outbox_row_and_sends_nothing_itself(db_queue, settings):
    response = Client().post("/w/login/", {"phone": PHONE})
    assert response.status_code == 200 and 'name="code"' in response.content.decode()
    assert MemorySmsBackend.outbox == []  # the request sent nothing
    message = Message.objects.get()
    assert message.kind == "sign_in_code" and message.urgent and message.state == State.QUEUED
    assert message.dedupe_key == f"sign-in:{PhoneCode.objects.get().pk}"
    call_command("worker", "--batch")
    (phone, code), = MemorySmsBackend.outbox
    assert phone == PHONE and len(code) == 6
    message.refresh_from_db()
    assert message.state == State.SENT and json.loads(message.params) == {}  # the code is wiped once sent
    assert Client().post("/w/login/", {"phone": PHONE, "code": code}).status_code == 302


def test_quiet_hours_and_the_daily_cap_do_not_hold_a_code(db_queue, settings, clock):
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    settings.GONGHUI_MESSAGING_QUIET_HOURS = "22:00-08:00"
    settings.GONGHUI_MESSAGING_DAILY_CAP = 1
    clock.move_to("2026-03-02T23:30:00")
    ordinary = services.queue_message(phone=PHONE, text="通知", kind="general")
    accounts.send_phone_code(phone=PHONE)
    accounts.send_phone_code(phone=PHONE)
    call_command("worker", "--batch")
    assert len(MemorySmsBackend.outbox) == 2 and Flaky.sent == []
    assert Message.objects.get(pk=ordinary.pk).state == State.QUEUED  # held until eight


def test_a_code_queued_during_a_long_batch_goes_before_the_rest_of_it(db_queue, settings, monkeypatch):
    """The sweep works through a batch of ordinary messages; a worker asks for a code after the first
    one went out: the code is sent next, not after the batch."""
    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Flaky"
    for i in range(4):
        services.queue_message(phone=f"1390000{i:04d}", text=f"m{i}", kind="general")
    order = []
    original_send = Flaky.send

    def send(self, *, phone, text):
        original_send(self, phone=phone, text=text)
        order.append(text)
        if len(order) == 1:
            accounts.send_phone_code(phone=PHONE)

    monkeypatch.setattr(Flaky, "send", send)
    monkeypatch.setattr(MemorySmsBackend, "send_code", lambda self, phone, code: order.append("code"))
    services.send_due()
    assert order == ["m0", "code", "m1", "m2", "m3"]


def test_a_code_is_in_no_inbox_and_not_shown_to_staff(tree, db_queue, settings):
    Worker.objects.create(phone=PHONE, phone_hash=blind_index(PHONE, purpose="phone"))
    accounts.send_phone_code(phone=PHONE)
    message = Message.objects.get()
    assert message.worker is not None and not message.in_inbox
    code = json.loads(message.params)["code"]
    client = Client()
    client.force_login(tree.user("a_admin"))
    page = client.get("/messaging/outbox/?state=").content.decode()
    assert "sign_in_code" in page and code not in page


def test_a_code_that_expired_before_it_could_go_is_not_sent(db_queue, settings, clock):
    clock.move_to("2026-03-02T10:00:00")
    accounts.send_phone_code(phone=PHONE)
    clock.move_to("2026-03-02T10:06:00")  # no worker ran for longer than the code lives (300 s)
    call_command("worker", "--batch")
    message = Message.objects.get()
    assert MemorySmsBackend.outbox == [] and message.state == State.PARKED
    assert "expired" in message.provider_answer and json.loads(message.params) == {}


@pytest.fixture
def aliyun(monkeypatch, settings):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = StandIn()
    settings.GONGHUI_SMS_BACKEND = "gonghui.accounts.sms_providers.AliyunSmsBackend"
    with _provider_settings(server, GONGHUI_SMS_TIMEOUT_MS=300):
        yield server
    server.close()


def test_a_provider_that_answers_nothing_leaves_the_code_for_a_retry_then_it_goes_once(db_queue, aliyun, clock):
    clock.move_to("2026-03-02T10:00:00")
    aliyun.hang = True
    accounts.send_phone_code(phone=PHONE)
    message = Message.objects.get()
    assert services.deliver_message(message_id=message.pk) == State.FAILED  # gave up on its own timeout, not 30 s
    message.refresh_from_db()
    assert message.attempts == 1 and message.next_try_at > timezone.now() and "network" in message.provider_answer
    aliyun.hang = False
    aliyun.answer(ALIYUN_OK)
    clock.move_to("2026-03-02T10:01:00")
    call_command("worker", "--batch")
    message.refresh_from_db()
    assert message.state == State.SENT and message.attempts == 2
    assert len(aliyun.requests) == 2  # the silent try and the one that went through; nothing more


def test_a_refused_code_is_parked_without_the_code_in_its_answer_or_the_outbox_log(db_queue, aliyun, caplog):
    accounts.send_phone_code(phone=PHONE)
    message = Message.objects.get()
    code = json.loads(message.params)["code"]
    # A stand-in that quotes the parameter back in its refusal, as a provider's error text might.
    aliyun.answer({"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": f"bad number for code {code}", "RequestId": "R-2"})
    with caplog.at_level(logging.INFO, logger="gonghui.messaging"):
        assert services.deliver_message(message_id=message.pk) == State.PARKED
    message.refresh_from_db()
    assert "isv.MOBILE_NUMBER_ILLEGAL" in message.provider_answer and code not in message.provider_answer
    assert json.loads(message.params) == {}
    outbox_log = [r.getMessage() for r in caplog.records if r.name == "gonghui.messaging"]
    assert outbox_log and not any(code in line for line in outbox_log)


REFUSED = {"Code": "isv.AMOUNT_NOT_ENOUGH", "Message": "account balance not enough", "RequestId": "R-9"}


def _refused_code():
    accounts.send_phone_code(phone=PHONE)
    return services.deliver_message(message_id=Message.objects.filter(state=State.QUEUED).latest("pk").pk)


def test_a_code_the_provider_refused_does_not_use_up_the_number_s_tries(db_queue, aliyun, settings):
    """The provider refused the code (parked): it never reached the worker, so the number still has
    all its codes of the hour once the provider is back."""
    settings.GONGHUI_OTP_PER_PHONE_PER_HOUR = 2
    aliyun.answer(REFUSED)
    assert _refused_code() == State.PARKED
    aliyun.answer(ALIYUN_OK)
    for _ in range(2):
        accounts.send_phone_code(phone=PHONE)
    call_command("worker", "--batch")
    assert Message.objects.filter(kind="sign_in_code", state=State.SENT).count() == 2
    with pytest.raises(DomainError) as refused:  # codes that went out count as before
        accounts.send_phone_code(phone=PHONE)
    assert refused.value.code == "otp_rate_limited"


def test_refused_codes_still_count_up_to_twice_the_limit(db_queue, aliyun, settings):
    """Someone asking again and again for a number the provider keeps refusing gets no unlimited
    sends: the hour allows at most twice the limit of codes, refused ones included."""
    settings.GONGHUI_OTP_PER_PHONE_PER_HOUR = 2
    aliyun.answer(REFUSED)
    for _ in range(4):
        assert _refused_code() == State.PARKED
    with pytest.raises(DomainError) as refused:
        accounts.send_phone_code(phone=PHONE)
    assert refused.value.code == "otp_rate_limited"
    assert PhoneCode.objects.count() == 4 and len(aliyun.requests) == 4
