"""403/404/500 and the CSRF refusal in the user's language and the site's layout; JSON under /api/."""

import json

import pytest
from django.test import Client, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def faults(settings):
    settings.ROOT_URLCONF = "tests.core.urls_faults"


@pytest.fixture
def no_totp(settings):
    settings.GONGHUI_TOTP_REQUIRED_KINDS = []
    settings.GONGHUI_TOTP_REQUIRED_ROLES = []


def test_404_in_chinese_in_the_console_layout(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<body class="console">' in html
    assert "页面不存在" in html
    assert "Not Found" not in html


def test_404_under_w_in_the_workers_layout(client):
    response = client.get("/w/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<body class="worker">' in html
    assert "页面不存在" in html
    assert 'href="/w/"' in html


def test_404_in_english_when_asked(client):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert "Page not found" in response.content.decode()


def test_403_in_chinese_in_the_console_layout(client, tree, no_totp):
    client.force_login(tree.user("b_viewer"))
    response = client.get("/members/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "403 Forbidden" not in html
    assert '<body class="console">' in html
    assert "无权访问" in html
    assert 'class="mainnav"' in html  # the cadre keeps the menu


def test_500_is_a_standalone_page_in_chinese(faults):
    client = Client(raise_request_exception=False)
    response = client.get("/faults/crash/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Server Error" not in html
    assert "出错了" in html
    assert response["X-Request-ID"] in html  # the reference the cadre can quote


def test_500_page_makes_no_database_query(django_assert_num_queries):
    request = RequestFactory().get("/console/")
    request.request_id = "abc12345"
    from gonghui.core import errorpages

    with django_assert_num_queries(0):
        response = errorpages.server_error(request)
    assert response.status_code == 500
    assert "出错了" in response.content.decode()


def test_csrf_refusal_in_chinese(tree):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a_admin", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "CSRF" not in html
    assert "表单已过期" in html


def test_api_404_answers_json(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "not_found"


def test_api_405_answers_json(client, tree):
    client.force_login(tree.user("a_admin"))
    response = client.delete("/api/v1/nodes")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == "method_not_allowed"
    assert body["detail"] == "此处不允许该请求方法。"


def test_api_500_answers_json(faults):
    client = Client(raise_request_exception=False)
    response = client.get("/api/faults/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "server_error"
