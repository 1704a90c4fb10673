"""Workers sign in with a mobile number and a one-time SMS code; no cadre account involved.

The code goes out through the outbox after the request's writes commit (docs/messaging.md): the tests
run each request in a captured commit, so the code reaches the memory SMS backend as it would the
provider."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, TestCase
from django.utils import timezone

from gonghui.accounts import services
from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.models import PhoneCode, Worker
from gonghui.accounts.sms import MemorySmsBackend
from gonghui.core.errors import DomainError
from gonghui.core.models import AuditEntry

PHONE = "13812345678"
LOGIN = "/w/login/"


def _outbox() -> list[tuple[str, str]]:
    return MemorySmsBackend.outbox


def _request_code(client, phone=PHONE):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(LOGIN, {"phone": phone})


def _send_code(**kwargs) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send_phone_code(**kwargs)


def _last_code() -> str:
    return _outbox()[-1][1]


def _signed_in_worker(phone=PHONE) -> Client:
    client = Client()
    _request_code(client, phone)
    response = client.post(LOGIN, {"phone": phone, "code": _last_code()})
    assert response.status_code == 302 and response["Location"] == "/w/me/"
    return client


# --- numbers as people type them ---------------------------------------------------------------

@pytest.mark.parametrize("typed", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
                                   "+8613812345678", "0086 13812345678", "(138) 1234-5678",
                                   "１３８１２３４５６７８"])
def test_number_is_normalised_before_the_code_is_sent(db, typed):
    response = _request_code(Client(), typed)
    assert response.status_code == 200
    assert _outbox() == [(PHONE, _outbox()[0][1])]
    assert 'name="code"' in response.content.decode()


@pytest.mark.parametrize("typed", ["", "1381234567", "138123456789", "12812345678", "23812345678",
                                   "abcdefghijk", "+1 415 555 0100", "010-12345678", "+85 13812345678"])
def test_invalid_number_is_refused_in_chinese_and_nothing_is_sent(db, typed):
    response = _request_code(Client(), typed)
    assert response.status_code == 200
    text = response.content.decode()
    assert "请输入以13-19开头的11位大陆手机号码" in text or "这个字段是必填项" in text
    assert _outbox() == [] and not PhoneCode.objects.exists()
    assert 'name="code"' not in text


def test_typed_in_any_form_the_number_reaches_the_same_worker(db):
    _request_code(Client(), "+86 138-1234-5678")
    first = services.verify_phone_code(phone="0086 13812345678", code=_last_code())
    _request_code(Client(), "138 1234 5678")
    again = services.verify_phone_code(phone=PHONE, code=_last_code())
    assert first.pk == again.pk and Worker.objects.count() == 1


# --- the code ---------------------------------------------------------------------------------

def test_right_code_signs_in_and_me_shows_the_masked_number(db):
    client = Client()
    sent = _request_code(client, "138 1234 5678")
    assert "验证码已通过短信发送" in sent.content.decode()
    assert len(_outbox()) == 1 and _outbox()[0][0] == PHONE and len(_last_code()) == 6
    response = client.post(LOGIN, {"phone": PHONE, "code": _last_code()})
    assert response.status_code == 302 and response["Location"] == "/w/me/"
    me = client.get("/w/me/")
    text = me.content.decode()
    assert me.status_code == 200 and "138****5678" in text and PHONE not in text
    worker = Worker.objects.get()
    assert client.session[WORKER_SESSION_KEY] == worker.pk and worker.last_login is not None
    assert AuditEntry.objects.filter(action="accounts.worker.created", actor_type="worker").exists()


def test_sign_in_cycles_the_session_key(db):
    client = Client()
    _request_code(client)
    before = client.session.session_key
    client.post(LOGIN, {"phone": PHONE, "code": _last_code()})
    assert client.session.session_key != before


def test_wrong_code_is_refused_in_chinese_and_counted(db):
    client = Client()
    _request_code(client)
    wrong = "000000" if _last_code() != "000000" else "111111"
    response = client.post(LOGIN, {"phone": PHONE, "code": wrong})
    assert response.status_code == 200 and "验证码错误或已过期" in response.content.decode()
    assert WORKER_SESSION_KEY not in client.session
    assert PhoneCode.objects.get().attempts == 1
    assert not Worker.objects.exists()


def test_after_the_attempt_limit_even_the_right_code_is_dead(db):
    client = Client()
    _request_code(client)
    right = _last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.GONGHUI_OTP_MAX_ATTEMPTS):
        client.post(LOGIN, {"phone": PHONE, "code": wrong})
    response = client.post(LOGIN, {"phone": PHONE, "code": right})
    assert response.status_code == 200 and "验证码错误或已过期" in response.content.decode()
    assert WORKER_SESSION_KEY not in client.session and not Worker.objects.exists()
    assert PhoneCode.objects.get().attempts == settings.GONGHUI_OTP_MAX_ATTEMPTS


def test_a_new_code_after_a_dead_one_works(db):
    client = Client()
    _request_code(client)
    for _ in range(settings.GONGHUI_OTP_MAX_ATTEMPTS):
        client.post(LOGIN, {"phone": PHONE, "code": "000000" if _last_code() != "000000" else "111111"})
    _request_code(client)
    assert client.post(LOGIN, {"phone": PHONE, "code": _last_code()}).status_code == 302


def test_expired_code_is_refused(db):
    client = Client()
    _request_code(client)
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(LOGIN, {"phone": PHONE, "code": _last_code()})
    assert response.status_code == 200 and "验证码错误或已过期" in response.content.decode()
    assert WORKER_SESSION_KEY not in client.session and not Worker.objects.exists()


def test_code_lives_for_the_configured_time(db):
    _send_code(phone=PHONE)
    code = PhoneCode.objects.get()
    assert abs((code.expires_at - code.created_at).total_seconds() - settings.GONGHUI_OTP_TTL_SECONDS) < 5


def test_a_code_works_once(db):
    _signed_in_worker()
    code = _last_code()
    with pytest.raises(DomainError) as caught:
        services.verify_phone_code(phone=PHONE, code=code)
    assert caught.value.code == "otp_invalid"


def test_a_code_is_good_only_for_its_own_number(db):
    _send_code(phone=PHONE)
    with pytest.raises(DomainError):
        services.verify_phone_code(phone="13900000000", code=_last_code())
    assert not Worker.objects.exists()


def test_malformed_code_is_refused_without_counting(db):
    client = Client()
    _request_code(client)
    response = client.post(LOGIN, {"phone": PHONE, "code": "12ab"})
    assert response.status_code == 200 and "请输入6位验证码" in response.content.decode()
    assert PhoneCode.objects.get().attempts == 0


def test_only_the_hash_of_the_code_is_stored(db):
    _send_code(phone=PHONE, ip="10.1.1.1")
    code = _last_code()
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {PhoneCode._meta.db_table}")  # noqa: S608
        raw = " ".join(str(v) for r in cursor.fetchall() for v in r)
    assert code not in raw and PHONE not in raw


def test_the_number_is_encrypted_at_rest(db):
    _signed_in_worker()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Worker._meta.db_table}")  # noqa: S608
        raw = " ".join(str(v) for r in cursor.fetchall() for v in r)
    assert PHONE not in raw and Worker.objects.get().phone == PHONE


# --- rate limits --------------------------------------------------------------------------------

def test_codes_per_number_are_limited(db):
    limit = settings.GONGHUI_OTP_PER_PHONE_PER_HOUR
    for n in range(limit):
        _request_code(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"))
    assert len(_outbox()) == limit
    response = _request_code(Client(REMOTE_ADDR="10.9.9.9"))  # a new address does not help
    assert "该号码获取验证码过于频繁" in response.content.decode()
    assert len(_outbox()) == limit and PhoneCode.objects.count() == limit


def test_number_limit_lifts_after_an_hour(db):
    for _ in range(settings.GONGHUI_OTP_PER_PHONE_PER_HOUR):
        _send_code(phone=PHONE)
    PhoneCode.objects.update(created_at=timezone.now() - timedelta(hours=1, minutes=1))
    _send_code(phone=PHONE)
    assert len(_outbox()) == settings.GONGHUI_OTP_PER_PHONE_PER_HOUR + 1


def test_codes_per_network_address_are_limited(db):
    limit = settings.GONGHUI_OTP_PER_PHONE_PER_HOUR * 4
    client = Client(REMOTE_ADDR="10.2.3.4")
    for n in range(limit):
        _request_code(client, f"139{n:08d}")
    assert len(_outbox()) == limit
    response = _request_code(client, "13700000000")
    assert "当前网络获取验证码过于频繁" in response.content.decode()
    assert len(_outbox()) == limit
    # Another address is not affected.
    assert "name=\"code\"" in _request_code(Client(REMOTE_ADDR="10.2.3.5"), "13700000000").content.decode()


# --- sessions and faces -----------------------------------------------------------------------------

def test_logout_ends_the_worker_session(db):
    client = _signed_in_worker()
    assert client.post("/w/logout/")["Location"] == "/w/"
    response = client.get("/w/me/")
    assert response.status_code == 302 and response["Location"].startswith("/w/login/")


def test_logout_by_get_does_nothing(db):
    client = _signed_in_worker()
    client.get("/w/logout/")
    assert client.get("/w/me/").status_code == 200


def test_me_needs_a_signed_in_worker(db):
    response = Client().get("/w/me/")
    assert response.status_code == 302 and response["Location"] == "/w/login/?next=/w/me/"


def test_next_is_followed_only_within_the_site(db):
    client = Client()
    _request_code(client)
    response = client.post(LOGIN, {"phone": PHONE, "code": _last_code(), "next": "https://evil.example/"})
    assert response["Location"] == "/w/me/"
    client = Client()
    _request_code(client)
    response = client.post(LOGIN, {"phone": PHONE, "code": _last_code(), "next": "/w/"})
    assert response["Location"] == "/w/"


def test_worker_pages_need_no_cadre_account(db):
    client = _signed_in_worker()
    assert "_auth_user_id" not in client.session
    assert client.get("/w/").status_code == 200 and client.get("/w/me/").status_code == 200


def test_cadre_pages_refuse_a_worker_only_session(tree):
    client = _signed_in_worker()
    for url in ("/console/", "/orgs/tree/", "/orgs/ledger/", f"/orgs/nodes/{tree.a.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.get("/api/v1/nodes").status_code in (401, 403, 404)


def test_a_cadre_session_is_not_a_worker_session(tree):
    client = Client()
    client.force_login(tree.user("b_admin"))
    response = client.get("/w/me/")
    assert response.status_code == 302 and response["Location"].startswith("/w/login/")


def test_worker_sign_in_csrf_is_enforced(db):
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"phone": PHONE}).status_code == 403
    assert _outbox() == []
    client.get(LOGIN)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(LOGIN, {"phone": PHONE, "csrfmiddlewaretoken": token}).status_code == 200
    assert len(_outbox()) == 1
    assert client.post(LOGIN, {"phone": PHONE, "code": _last_code()}).status_code == 403
    response = client.post(LOGIN, {"phone": PHONE, "code": _last_code(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.post("/w/logout/").status_code == 403


def test_a_session_of_a_removed_worker_signs_nobody_in(db):
    client = _signed_in_worker()
    Worker.objects.all().delete()
    response = client.get("/w/me/")
    assert response.status_code == 302 and response["Location"].startswith("/w/login/")
    assert WORKER_SESSION_KEY not in client.session
