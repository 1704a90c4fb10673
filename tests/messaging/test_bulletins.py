"""Union news and announcements (工会动态, 公告): published on the notices page, shown on the worker pages of
the union's members; a public one of a union above shows too, another township's never does."""

import pytest
from django.test import Client

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.messaging import notices, selectors
from gonghui.messaging.models import Bulletin, BulletinKind
from tests.activities.conftest import make_member_worker, make_worker

from .test_pages import _client_for

pytestmark = pytest.mark.django_db


def _publish(tree, user, node, title, *, public=False, kind=BulletinKind.NEWS, key=None):
    return notices.publish_bulletin(actor=tree.user(user), node=node, kind=kind, title=title, body=f"{title}的内容",
                                    public=public, submit_key=key or title)


def test_a_member_sees_their_unions_news_and_the_public_announcements_above_it(tree, settings):
    settings.GONGHUI_PRIVACY_NOTICE_REQUIRED = False
    member = make_member_worker(tree, tree.c, 71)
    _publish(tree, "a_admin", tree.c, "企业工会换届选举")
    _publish(tree, "a_admin", tree.b, "镇总工会夏送清凉", public=True, kind=BulletinKind.ANNOUNCEMENT)
    _publish(tree, "a_admin", tree.b, "镇工会干部例会")         # B's own members only
    _publish(tree, "a_admin", tree.a, "县总工会职工运动会", public=True)
    _publish(tree, "a_admin", tree.d, "东镇职工书屋开放", public=True)  # another township
    seen = [b.title for b in selectors.bulletins_for_worker(member)]
    assert sorted(seen) == sorted(["企业工会换届选举", "镇总工会夏送清凉", "县总工会职工运动会"])
    page = _client_for(member).get("/w/inbox/").content.decode()
    assert 'id="bulletins"' in page and "镇总工会夏送清凉" in page
    assert "东镇职工书屋开放" not in page and "镇工会干部例会" not in page
    # A worker who is no member sees none.
    stranger = make_worker("13500009999")
    assert selectors.bulletins_for_worker(stranger) == []
    assert 'id="bulletins"' not in _client_for(stranger).get("/w/inbox/").content.decode()


def test_bad_bulletins_are_refused_and_nothing_is_published(tree):
    for title, body, code in (("", "内容", "bulletin_empty"), ("标题", "  ", "bulletin_empty"),
                              ("长" * 61, "内容", "bulletin_too_long"), ("标题", "字" * 2001, "bulletin_too_long")):
        with pytest.raises(DomainError) as refused:
            notices.publish_bulletin(actor=tree.user("b_clerk"), node=tree.b, kind="news", title=title, body=body,
                                     public=False, submit_key=f"bad-{code}-{len(title)}")
        assert refused.value.code == code
    with pytest.raises(NotPermitted):
        _publish(tree, "d_admin", tree.b, "越权发布")
    assert not Bulletin.objects.exists()


def test_the_page_from_the_menu_publishes_once_on_a_double_click(tree):
    client = Client()
    client.force_login(tree.user("b_clerk"))
    console = client.get("/console/").content.decode()
    assert "/messaging/notices/" in console  # the menu's link
    page = client.get("/messaging/notices/")  # no union given: the top of the clerk's scope
    assert page.status_code == 200 and tree.b.name in page.content.decode()
    form = {"action": "publish", "kind": "announcement", "bulletin_title": "职工书屋开放时间调整",
            "bulletin_body": "自下周起每周六上午开放。", "public": "1", "bulletin_key": "page-b-1"}
    assert client.post(f"/messaging/notices/?node={tree.b.pk}", form).status_code == 302
    assert client.post(f"/messaging/notices/?node={tree.b.pk}", form).status_code == 302
    (bulletin,) = Bulletin.objects.all()
    assert bulletin.node == tree.b and bulletin.public and bulletin.kind == BulletinKind.ANNOUNCEMENT
    refused = client.post(f"/messaging/notices/?node={tree.b.pk}", {**form, "bulletin_title": "", "bulletin_key": "2"})
    assert refused.status_code == 200 and 'id="bulletin-error"' in refused.content.decode()
    assert Bulletin.objects.count() == 1
