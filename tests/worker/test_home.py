"""The worker home page: light, mobile-first, and every link on it leads to a real page."""

from html.parser import HTMLParser

import pytest
from django.test import Client, TestCase

from gonghui.accounts.sms import MemorySmsBackend
from gonghui.worker import views


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _worker_client() -> Client:
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):  # the code goes out through the outbox after commit
        client.post("/w/login/", {"phone": "13812345678"})
    client.post("/w/login/", {"phone": "13812345678", "code": MemorySmsBackend.outbox[-1][1]})
    return client


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_link_on_the_home_page_leads_to_a_page(db, signed_in):
    client = _worker_client() if signed_in else Client()
    page = client.get("/w/")
    assert page.status_code == 200
    links = _links(page.content.decode())
    assert links
    for href in links:
        assert href.startswith("/"), href
        response = client.get(href, follow=True)
        assert response.status_code == 200, href
        if signed_in:
            assert not response.redirect_chain, href  # a signed-in worker is not bounced to sign in


def test_unbuilt_modules_show_as_coming_soon_not_as_links(db):
    text = Client().get("/w/").content.decode()
    for title in ("我的工会", "服务驿站", "培训课程", "求助"):
        assert title in text
    assert text.count('aria-disabled="true"') == sum(1 for name, *_ in views.HOME_TILES
                                                     if views._url_or_none(name) is None)
    assert "/w/me/" not in _links(text)


@pytest.mark.urls("tests.worker.urls_with_stations")
def test_a_tile_links_once_its_page_exists(db):
    text = Client().get("/w/").content.decode()
    assert "/w/stations/" in _links(text)
    assert 'aria-disabled="true"><b>服务驿站' not in text
    assert text.count('aria-disabled="true"') == sum(1 for name, *_ in views.HOME_TILES
                                                     if views._url_or_none(name) is None)


def test_home_is_mobile_first_and_light(db):
    response = Client().get("/w/")
    text = response.content.decode()
    assert 'name="viewport" content="width=device-width' in text
    assert "<script" not in text
    assert len(response.content) < 8_000
    assert 'lang="zh-hans"' in text


def test_home_needs_no_sign_in_and_offers_it(db):
    text = Client().get("/w/").content.decode()
    assert "/w/login/" in _links(text) and "/w/me/" not in _links(text)
    signed_in = _worker_client().get("/w/").content.decode()
    assert "/w/me/" in _links(signed_in) and "/w/login/" not in _links(signed_in)
