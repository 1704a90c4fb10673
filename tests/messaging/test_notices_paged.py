"""A union's notices and bulletins page instead of stopping at the latest fifty: the oldest is on a
later page with its delivery figures, the page says how many there are in all, and a page of notices
costs the same queries whatever its length (the figures are counted for the page at once)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gonghui.core.scoping import scopes_disabled
from gonghui.messaging import notices, selectors
from gonghui.messaging.models import Bulletin, Message, Notice, NoticeState, Segment

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 6, 1, 9, 0, tzinfo=datetime.UTC)


def _messages(notice, states):
    return [Message(kind="notice", phone="13700000000", phone_hash=f"h{notice.pk}-{i}", text="内容",
                    dedupe_key=f"notice:{notice.pk}:{i:032d}", state=state, next_try_at=WHEN)
            for i, state in enumerate(states)]


def test_the_notices_and_bulletins_page_past_fifty_with_each_notices_figures(tree):
    author = tree.user("b_clerk")
    with scopes_disabled():
        made = Notice.objects.bulk_create([
            Notice(node=tree.b, author=author, segment=Segment.MEMBERS, title=f"通知{n:02d}", body="内容",
                   submit_key=f"k{n}", state=NoticeState.SENT, recipients=3) for n in range(55)])
        oldest, next_oldest = made[0], made[1]
        Message.objects.bulk_create(_messages(oldest, ["sent", "sent", "failed"]) + _messages(next_oldest, ["sent"]))
        Bulletin.objects.bulk_create([Bulletin(node=tree.b, title=f"公告{n:02d}", body="内容", author=author,
                                               submit_key=f"b{n}") for n in range(25)])
    client = Client()
    client.force_login(author)
    url = "/messaging/notices/"
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(url, {"node": tree.b.pk}).content.decode()
    assert 'data-total="55"' in first and "npage=2" in first and "通知54" in first and "通知00" not in first
    assert 'data-total="25"' in first and "bpage=2" in first
    with CaptureQueriesContext(connection) as last_queries:
        last = client.get(url, {"node": tree.b.pk, "npage": 3, "bpage": 2}).content.decode()
    assert "通知00" in last and "通知54" not in last  # past the old cap of fifty
    assert "公告00" in last and "公告24" not in last
    assert "已发送 2 发送失败，将重试 1" in last and "已发送 1" in last
    assert len(last_queries) == len(first_queries)  # 15 notices or 20: no query per notice
    assert f"node={tree.b.pk}&amp;bpage=2&amp;npage=2" in last  # the union and the other list's page stay


def test_the_figures_of_a_page_of_notices_match_each_notices_own(tree):
    with scopes_disabled():
        made = Notice.objects.bulk_create([
            Notice(node=tree.b, author=tree.user("b_clerk"), segment=Segment.MEMBERS, title="通知", body="内容",
                   submit_key=f"f{n}", state=NoticeState.SENT) for n in range(12)])
        # ids beginning alike (1 and 10, say) are told apart by the colon after the id
        Message.objects.bulk_create(_messages(made[0], ["sent", "parked"]) + _messages(made[10], ["queued"]))
        figures = selectors.notice_figures(n.pk for n in made)
        assert figures == {n.pk: notices.figures(n) for n in made}
        assert figures[made[0].pk] == {"sent": 1, "parked": 1} and figures[made[5].pk] == {}
