"""Text over its limit is refused by the aid services with the model field's limit named (in Chinese
under zh-hans) and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.aid.models import Programme, Wish
from gonghui.aid.services import programmes, wishes
from gonghui.core.limits import limit_of

from .conftest import make_member, worker_for

pytestmark = pytest.mark.django_db


def test_a_wish_title_over_the_fields_limit_is_refused_in_chinese_and_no_wish_is_posted(people):
    member, worker = make_member(people), worker_for()
    limit = limit_of(Wish, "title")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        wishes.post_wish(member=member, worker=worker, title="愿" * (limit + 1), kind="money", amount="100")
    assert f"不能超过 {limit} 个字符" in refused.value.message_dict["title"][0]
    with scopes_disabled():
        assert not Wish.objects.exists()
    wish = wishes.post_wish(member=member, worker=worker, title="愿" * limit, kind="money", amount="100")
    assert wish.title == "愿" * limit


def test_a_programme_name_over_the_fields_limit_is_refused(people):
    limit = limit_of(Programme, "name")
    with pytest.raises(ValidationError) as refused:
        _programme(people, "项" * (limit + 1))
    assert str(limit) in " ".join(refused.value.messages)
    with scopes_disabled():
        assert not Programme.objects.exists()


def _programme(tree, name):
    with scopes_disabled():
        return programmes.create_programme(node=tree.a, actor=tree.user("a_admin"), kind="winter_warmth", name=name,
                                           year=2026, starts_on=datetime.date(2026, 1, 1),
                                           ends_on=datetime.date(2026, 12, 31), budget="1000")
