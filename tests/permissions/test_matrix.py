"""The declared matrix walked at the decision level: for every declared action, every role alone and
mixed-role cadres, at the object's union, below it, above it and beside it. The expectation is
computed from the declaration (roles × relation), so an action added tomorrow is walked too.

Tree: county A → township B → enterprise C; township D beside B.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django_scopes import scopes_disabled

from gonghui.accounts import permissions as perms
from gonghui.accounts.models import Role
from gonghui.core import permissions as declared
from gonghui.core.errors import DomainError, NotPermitted
from tests.factories import make_user

ACTIONS = [a.code for a in declared.actions()]
ROLES = list(Role.values)


def _expect(act, held: list[tuple[str, str]], where: str) -> bool:
    """held: (role, node letter); where: node letter. Parents: C under B under A; D under A."""
    above = {"a": {"a"}, "b": {"a", "b"}, "c": {"a", "b", "c"}, "d": {"a", "d"}}
    for role, at in held:
        if role not in act.roles:
            continue
        if act.relation == declared.OWN_NODE and at == where:
            return True
        if act.relation != declared.OWN_NODE and at in above[where]:
            return True
    return False


# single roles at township B, and the mixed cadres the issue names
CADRES = {f"b_{role}": [(role, "b")] for role in ROLES} | {
    "mix_reviewer_a_clerk_b": [(Role.REVIEWER, "a"), (Role.CLERK, "b")],
    "mix_finance_admin_b": [(Role.FINANCE, "b"), (Role.ADMIN, "b")],
    "mix_viewer_a_mediator_b": [(Role.VIEWER, "a"), (Role.MEDIATOR, "b")],
    "mix_clerk_d_reviewer_b": [(Role.CLERK, "d"), (Role.REVIEWER, "b")],
}


@pytest.fixture
def cadres(tree):
    nodes = {"a": tree.a, "b": tree.b, "c": tree.c, "d": tree.d}
    with scopes_disabled():
        users = {}
        for name, held in CADRES.items():
            user = make_user(f"m_{name}")
            for role, at in held:
                user.roles.create(node=nodes[at], role=role)
            users[name] = user
    return nodes, users


@pytest.mark.parametrize("code", ACTIONS)
def test_every_declared_action_allows_exactly_the_declared_roles_where_declared(code, cadres, tree):
    act = declared.action(code)
    nodes, users = cadres
    for name, held in CADRES.items():
        user = users[name]
        for where, node in nodes.items():
            expected = _expect(act, held, where)
            assert perms.allowed(user, code, node=node) is expected, (code, name, where)
            if expected:
                perms.require(user, code, node=node)
            else:
                with pytest.raises(NotPermitted) as err:
                    perms.require(user, code, node=node)
                assert err.value.permission == code
    for nobody in (tree.user("nobody"), AnonymousUser()):
        assert not perms.allowed(nobody, code, node=tree.c)
        with pytest.raises(NotPermitted):
            perms.require(nobody, code, node=tree.c)


@pytest.mark.parametrize("code", [a.code for a in declared.actions() if a.excludes])
def test_the_same_person_is_refused_an_excluded_action_with_its_stable_code(code, cadres, tree):
    """Segregation of duties from the declaration: whoever did an excluded action on the object is
    refused (DomainError with the declared code), even a superuser; someone else is not."""
    act = declared.action(code)
    nodes, users = cadres
    role = sorted(act.roles)[0]
    with scopes_disabled():
        doer = make_user("doer", node=tree.b, roles=[role])
        other = make_user("other", node=tree.b, roles=[role])
        boss = make_user("boss")
        boss.is_superuser = True
        boss.save()
    for rule in act.excludes:
        for person in (doer, boss):
            done = {rule.action: person.pk}
            assert not perms.allowed(person, code, node=tree.c, done_by=done)
            with pytest.raises(DomainError) as err:
                perms.require(person, code, node=tree.c, done_by=done)
            assert err.value.code == rule.code
            assert perms.allowed(person, code, node=tree.c, done_by={rule.action: other.pk})
            assert perms.allowed(person, code, node=tree.c, done_by={rule.action: [other.pk, None]})
            assert not perms.allowed(person, code, node=tree.c, done_by={rule.action: [other.pk, person.pk]})


def test_every_exclusion_names_a_declared_action():
    for act in declared.actions():
        for rule in act.excludes:
            assert rule.action in {a.code for a in declared.actions()}, (act.code, rule.action)
            assert rule.code and str(rule.message)


def test_an_undeclared_code_is_an_error_not_a_refusal(tree):
    with pytest.raises(declared.UnknownAction):
        perms.allowed(tree.user("a_admin"), "aid.application.steal", node=tree.c)
    with pytest.raises(ValueError):
        declared.declare("aid.application.pay", "x", ["admin"])  # a second, different declaration


def test_scope_for_is_the_union_of_the_subtrees_where_the_action_is_allowed(cadres, tree):
    nodes, users = cadres
    mixed = users["mix_reviewer_a_clerk_b"]
    clerk_only = perms.scope_for(mixed, "aid.application.create")
    assert clerk_only.covers(tree.c.path) and not clerk_only.covers(tree.d.path)
    reviewer = perms.scope_for(mixed, "aid.application.approve")
    assert reviewer.covers(tree.d.path) and reviewer.covers(tree.c.path)
