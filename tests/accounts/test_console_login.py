"""Cadre sign-in to the console: password, audit, lockout, session handling, idle timeout."""

from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.utils import timezone

from gonghui.core.models import AuditEntry

PASSWORD = "Tr0ub4dor&3x!"
LOGIN = "/accounts/login/"


def _login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_login_page_is_chinese_by_default(db):
    page = Client().get(LOGIN)
    assert page.status_code == 200
    assert "登录工作台" in page.content.decode()


def test_right_password_redirects_to_console_home_and_is_audited(tree):
    client = Client()
    response = _login(client, "b_viewer")  # a viewer sees no personal data: no second factor
    assert response.status_code == 302 and response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200
    entry = AuditEntry.objects.get(action="accounts.login")
    assert entry.actor_type == "user" and entry.actor_id == str(tree.user("b_viewer").pk)
    assert entry.channel == "console" and entry.ip == "127.0.0.1"


def test_login_honours_a_local_next_but_not_a_foreign_one(tree):
    response = Client().post(LOGIN + "?next=/orgs/", {"username": "b_admin", "password": PASSWORD,
                                                       "next": "/orgs/"})
    assert response["Location"] == "/orgs/"
    response = Client().post(LOGIN, {"username": "b_admin", "password": PASSWORD,
                                     "next": "https://evil.example/steal"})
    assert response["Location"] == "/console/"


def test_wrong_password_shows_a_chinese_error_and_is_audited(tree):
    client = Client()
    response = _login(client, "b_admin", "wrong-password")
    assert response.status_code == 200
    text = response.content.decode()
    assert "用户名" in text and "密码" in text and "errorlist" in text
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    # A keyed hash of the name tried, never its text (tests/core/test_audit_personal_data.py).
    assert "b_admin" not in str(entry.data) and len(entry.data["username_hash"]) == 64
    assert entry.object_id == str(tree.user("b_admin").pk)
    assert entry.ip == "127.0.0.1" and entry.channel == "console"
    assert "wrong-password" not in str(entry.data)
    assert not AuditEntry.objects.filter(action="accounts.login").exists()


def test_unknown_username_is_answered_like_a_wrong_password(tree):
    wrong_password = _login(Client(), "b_admin", "wrong-password").content.decode()
    unknown_user = _login(Client(), "no_such_cadre", "wrong-password").content.decode()
    assert _errors(wrong_password) == _errors(unknown_user)
    assert AuditEntry.objects.filter(action="accounts.login_failed").count() == 2


def _errors(html: str) -> str:
    start = html.index('<ul class="errorlist')
    return html[start:html.index("</ul>", start)]


def test_repeated_failures_lock_the_account_even_for_the_right_password(tree):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client()
    for _ in range(limit - 1):
        assert _login(client, "b_admin", "wrong-password").status_code == 200
    locked = _login(client, "b_admin", "wrong-password")
    assert locked.status_code == 429
    assert "账号已锁定" in locked.content.decode()
    # The right password no longer opens the account from this address; the lock is on the
    # name and address together (tests/accounts/test_lockout_proxy.py).
    response = _login(client, "b_admin")
    assert response.status_code == 429 and "账号已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="accounts.login").exists()
    assert AuditEntry.objects.filter(action="accounts.login_locked").exists()
    # Another cadre signing in from elsewhere is not affected.
    assert _login(Client(REMOTE_ADDR="10.0.0.10"), "d_admin").status_code == 302


def test_the_lockout_ends_after_the_cool_off(tree):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "b_admin", "wrong-password")
    assert _login(client, "b_admin").status_code == 429
    # Wind the recorded failures back past the cool-off (django-axes reads its own clock).
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1))
    assert _login(client, "b_admin").status_code == 302


def test_a_success_resets_the_failure_count(tree):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "b_admin", "wrong-password")
    assert _login(client, "b_admin").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "b_admin", "wrong-password")
    assert _login(client, "b_admin").status_code == 302


def test_session_key_is_cycled_on_login(tree):
    client = Client()
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    assert _login(client, "b_admin").status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_ends_the_session(tree):
    client = Client()
    _login(client, "b_admin")
    assert client.post("/accounts/logout/").status_code == 302
    response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_idle_session_expires_after_the_configured_timeout(tree):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    client = Client()
    _login(client, "b_viewer")
    start = timezone.now()
    # Activity keeps the session alive: each request pushes the deadline on.
    for minutes in (20, 40, 60):
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)):
            assert client.get("/console/").status_code == 200
    # 31 idle minutes later the server no longer knows the session.
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=60 + 31)):
        response = client.get("/console/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_cadre_without_a_role_lands_on_no_role(tree):
    client = Client()
    response = _login(client, "nobody")
    assert response.status_code == 302
    response = client.get("/console/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/no-role/"
    text = response.content.decode()
    assert "尚无角色" in text and "请联系本级工会管理员" in text


def test_anonymous_console_visit_goes_to_login(db):
    response = Client().get("/console/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/console/"


def test_inactive_cadre_cannot_sign_in(tree):
    user = tree.user("b_admin")
    user.is_active = False
    user.save()
    client = Client()
    assert _login(client, "b_admin").status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url", [LOGIN, "/w/login/"])
def test_login_posts_need_a_csrf_token(tree, url):
    client = Client(enforce_csrf_checks=True)
    data = ({"username": "b_admin", "password": PASSWORD} if url == LOGIN else {"phone": "13812345678"})
    refused = client.post(url, data)
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session
    client.get(url)
    data["csrfmiddlewaretoken"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(url, data)
    assert accepted.status_code in (200, 302) and accepted.status_code != 403
    if url == LOGIN:
        assert accepted.status_code == 302 and "_auth_user_id" in client.session


def test_otp_post_needs_a_csrf_token(tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(tree.user("a_admin"))
    assert client.post("/accounts/otp/", {"token": "123456"}).status_code == 403
