"""The employer ledger (建会台账): validated writes, scope-checked links, audit."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.core.errors import NotPermitted
from gonghui.orgs import services
from gonghui.orgs.models import Employer, Sector
from tests.factories import credit_code, make_employer

from .helpers import acting, audit_actions, fresh, snapshot


def _messages(exc: ValidationError) -> dict:
    with translation.override("zh-hans"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}


def _fields(**overrides):
    fields = dict(name="青山物流有限公司", credit_code=credit_code(), sector=Sector.LOGISTICS, employee_count=80)
    fields.update(overrides)
    return fields


def test_a_clerk_adds_an_employer_with_normalized_fields_and_an_audit_entry(tree):
    code = credit_code()
    with acting(tree.user("b_clerk")) as user:
        employer = services.create_employer(node=fresh(tree.b), actor=user,
                                            **_fields(name=" ＡＢＣ物流有限公司 ", credit_code=code.lower()))
    assert employer.name == "ABC物流有限公司" and employer.credit_code == code
    assert employer.pinyin_initials == "abcwlyxgs"
    assert audit_actions()[-1] == "orgs.employer.created"


@pytest.mark.parametrize("user", ["b_viewer", "d_admin", "nobody"])
def test_others_cannot_add_to_the_ledger(tree, user):
    before = snapshot()
    with acting(tree.user(user)) as actor, pytest.raises(NotPermitted):
        services.create_employer(node=fresh(tree.b), actor=actor, **_fields())
    assert snapshot() == before


def test_a_duplicate_credit_code_is_refused_even_when_the_other_entry_is_out_of_scope(tree):
    with scopes_disabled():
        other = make_employer(tree.d)
    before = snapshot()
    with acting(tree.user("b_clerk")) as user, pytest.raises(ValidationError) as info:
        services.create_employer(node=fresh(tree.b), actor=user, **_fields(credit_code=other.credit_code))
    assert _messages(info.value) == {"credit_code": ["台账中已有该信用代码的用人单位。"]}
    assert snapshot() == before


@pytest.mark.parametrize("overrides, field", [
    ({"credit_code": "91330521MA2ABCDE0"}, None),
    ({"credit_code": "91330521MA2ABCDEIX"}, None),
    ({"name": "青山\u200b物流"}, None),
    ({"name": "<img src=x>"}, None),
    ({"employee_count": -1}, "employee_count"),
])
def test_bad_employer_input_is_refused_and_nothing_is_written(tree, overrides, field):
    before = snapshot()
    with acting(tree.user("b_clerk")) as user, pytest.raises(ValidationError) as info:
        services.create_employer(node=fresh(tree.b), actor=user, **_fields(**overrides))
    if field:
        assert field in info.value.message_dict
    assert snapshot() == before


def test_the_union_link_must_be_inside_the_actors_scope(tree):
    before = snapshot()
    with acting(tree.user("b_clerk")) as user, pytest.raises(NotPermitted):
        services.create_employer(node=fresh(tree.b), actor=user, **_fields(union=fresh(tree.d)))
    assert snapshot() == before


def test_the_union_link_must_be_an_active_union(tree):
    with acting(tree.user("b_admin")) as user:
        services.dissolve_node(node=fresh(tree.c), actor=user, reason="注销")
    before = snapshot()
    with acting(tree.user("b_clerk")) as user, pytest.raises(ValidationError) as info:
        services.create_employer(node=fresh(tree.b), actor=user, **_fields(union=fresh(tree.c)))
    assert "union" in info.value.message_dict
    assert snapshot() == before


def test_update_records_the_changes_and_links_the_union(tree):
    with scopes_disabled():
        employer = make_employer(tree.b, employees=10)
    with acting(tree.user("b_clerk")) as user:
        employer = Employer.objects.get(pk=employer.pk)
        services.update_employer(employer=employer, actor=user, employee_count=25, union=fresh(tree.c))
    with scopes_disabled():
        employer = Employer.objects.get(pk=employer.pk)
    assert employer.employee_count == 25 and employer.union_id == tree.c.pk
    assert audit_actions()[-1] == "orgs.employer.updated"


def test_update_to_another_employers_credit_code_is_refused(tree):
    with scopes_disabled():
        first, second = make_employer(tree.b), make_employer(tree.c)
    before = snapshot()
    with acting(tree.user("b_clerk")) as user, pytest.raises(ValidationError):
        services.update_employer(employer=Employer.objects.get(pk=second.pk), actor=user,
                                 credit_code=first.credit_code)
    assert snapshot() == before


def test_a_viewer_cannot_update(tree):
    with scopes_disabled():
        employer = make_employer(tree.b)
    before = snapshot()
    with acting(tree.user("b_viewer")) as user, pytest.raises(NotPermitted):
        services.update_employer(employer=Employer.objects.get(pk=employer.pk), actor=user, employee_count=1)
    assert snapshot() == before
