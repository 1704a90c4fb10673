"""Notices and bulletins are refused past the limits declared on their model fields, naming them; the
form's inputs carry the same limits; a provider's long answer is kept as a visible excerpt."""

import pytest
from django.test import Client

from gonghui.core.errors import DomainError
from gonghui.core.limits import limit_of
from gonghui.messaging import notices, services
from gonghui.messaging.models import Bulletin, Message, Notice, Segment, State

from .test_notices import _members

pytestmark = pytest.mark.django_db
PHONE = "13800138000"


def test_a_notice_text_over_the_field_is_refused_naming_the_limit(tree):
    _members(tree, tree.c, ["13700000001"])
    limit = limit_of(Notice, "body")
    with pytest.raises(DomainError) as refused:
        notices.submit(actor=tree.user("b_clerk"), node=tree.b, segment=Segment.MEMBERS, title="通知",
                       body="字" * (limit + 1), submit_key="long-body")
    assert refused.value.code == "notice_too_long" and refused.value.field == "body"
    assert str(limit) in refused.value.message and str(limit + 1) in refused.value.message
    assert not Notice.objects.exists()


def test_a_bulletin_over_the_field_is_refused_naming_the_limit(tree):
    for field, title, body in (("title", "长" * (limit_of(Bulletin, "title") + 1), "内容"),
                               ("body", "标题", "字" * (limit_of(Bulletin, "body") + 1))):
        with pytest.raises(DomainError) as refused:
            notices.publish_bulletin(actor=tree.user("b_clerk"), node=tree.b, kind="news", title=title, body=body,
                                     public=False, submit_key=f"long-{field}")
        assert refused.value.field == field and str(limit_of(Bulletin, field)) in refused.value.message
    assert not Bulletin.objects.exists()


def test_the_notice_form_takes_its_limits_from_the_model_fields(tree):
    client = Client()
    client.force_login(tree.user("b_clerk"))
    page = client.get("/messaging/notices/", {"node": tree.b.pk}).content.decode()
    for name, model, field in (("title", Notice, "title"), ("body", Notice, "body"),
                               ("bulletin_title", Bulletin, "title"), ("bulletin_body", Bulletin, "body")):
        assert f'name="{name}"' in page
        tag = page[page.index(f'name="{name}"'):][:200]
        assert f'maxlength="{limit_of(model, field)}"' in tag, name


def test_a_long_answer_of_the_provider_is_kept_as_a_visible_excerpt(db_queue, settings, monkeypatch):
    from gonghui.accounts.sms_providers import SmsRejected
    from tests.messaging import notifiers

    settings.GONGHUI_NOTIFIER = "tests.messaging.notifiers.Rejecting"
    long_answer = "模板不合规" * 100

    def send(self, *, phone, text):
        raise SmsRejected("sms_rejected", "", provider="test", provider_code="isv.X", provider_message=long_answer)

    monkeypatch.setattr(notifiers.Rejecting, "send", send)
    message = services.queue_message(phone=PHONE, text="x", kind="general")
    assert services.deliver_message(message_id=message.pk) == State.PARKED
    message.refresh_from_db()
    assert len(message.provider_answer) == limit_of(Message, "provider_answer")
    assert message.provider_answer.startswith("isv.X: 模板不合规") and message.provider_answer.endswith("…")
