"""Cadre accounts managed in the console (issue 15 item 3, issue 16 finding 11): who holds which role,
new cadres, roles granted and revoked, deactivation, resets by single-use links, one's own password.

The tree: county A (a_admin) → township B (b_admin, b_clerk, b_viewer) → enterprise C; township D
(d_admin). Every refusal is checked to change nothing.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.accounts import services
from gonghui.accounts.models import AccountLink, ApiToken, Role, RoleAssignment, User
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_user

PASSWORD = "Tr0ub4dor&3x!"
NEW_PASSWORD = "Xq7!mountain-Lake"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)  # the second factor included (tests/conftest.py)
    return client


def _state():
    """Accounts, roles, links and tokens: what a refused change must leave as it was."""
    with scopes_disabled():
        return (list(User.objects.order_by("pk").values("pk", "is_active", "password", "display_name")),
                list(RoleAssignment.objects.order_by("pk").values("pk", "user", "node", "role")),
                list(AccountLink.objects.order_by("pk").values()),
                list(ApiToken.objects.order_by("pk").values("pk", "revoked_at")),
                list(TOTPDevice.objects.exclude(name="test").order_by("pk").values("pk", "confirmed")))


def _link_key(response) -> str:
    text = response.content.decode()
    start = text.index("/accounts/link/") + len("/accounts/link/")
    return text[start:text.index("/", start)]


# --- the list ------------------------------------------------------------------------------------

def test_the_list_shows_who_holds_which_role_in_my_subtree_only(tree):
    page = _client(tree.user("b_admin")).get("/accounts/cadres/")
    text = page.content.decode()
    assert page.status_code == 200 and "干部账号" in text or "Cadre accounts" in text
    for name in ("b_admin", "b_clerk", "b_viewer"):
        assert name in text
    assert "d_admin" not in text and "a_admin" not in text and "河口" not in text
    county = _client(tree.user("a_admin")).get("/accounts/cadres/").content.decode()
    assert "d_admin" in county and "a_admin" in county


def test_the_list_filters_by_node_role_and_state(tree):
    client = _client(tree.user("a_admin"))
    text = client.get(f"/accounts/cadres/?node={tree.d.pk}").content.decode()
    assert "d_admin" in text and "b_admin" not in text
    text = client.get("/accounts/cadres/?role=clerk").content.decode()
    assert "b_clerk" in text and "b_viewer" not in text
    services.set_active(user=tree.user("b_viewer"), active=False, actor=tree.user("a_admin"))
    text = client.get("/accounts/cadres/?active=0").content.decode()
    assert "b_viewer" in text and "b_clerk" not in text
    assert _client(tree.user("b_admin")).get(f"/accounts/cadres/?node={tree.d.pk}").status_code == 404


def test_only_admins_open_the_account_pages(tree):
    for url in ("/accounts/cadres/", "/accounts/cadres/new/", f"/accounts/cadres/{tree.user('b_viewer').pk}/"):
        assert _client(tree.user("b_clerk")).get(url).status_code == 403, url


def test_the_console_home_links_to_the_account_pages(tree):
    assert "/accounts/cadres/" in _client(tree.user("b_admin")).get("/console/").content.decode()
    viewer_home = _client(tree.user("b_viewer")).get("/console/").content.decode()
    assert "/accounts/cadres/" not in viewer_home and "/accounts/password/" in viewer_home


# --- a new cadre ---------------------------------------------------------------------------------

def test_an_admin_creates_a_cadre_who_sets_their_own_password_by_the_link(tree):
    response = _client(tree.user("b_admin")).post("/accounts/cadres/new/", {
        "username": "zhang_li", "display_name": "张丽", "phone": "139 1234 5678", "node": tree.c.pk,
        "role": Role.VIEWER})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    user = User.objects.get(username="zhang_li")
    assert user.display_name == "张丽" and user.phone == "13912345678" and not user.has_usable_password()
    assert list(user.roles.values_list("node", "role")) == [(tree.c.pk, Role.VIEWER)]
    # The phone is encrypted at rest and in no audit entry.
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    entries = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk))
    assert {"accounts.user.created", "accounts.role.granted", "accounts.link.issued"} <= {e.action for e in entries}
    assert all("13912345678" not in str(e.data) + e.object_repr for e in entries)
    # The link sets the password, once.
    key = _link_key(response)
    link = AccountLink.objects.get(user=user)
    assert link.purpose == AccountLink.Purpose.PASSWORD and link.key_hash != key
    done = Client().post(f"/accounts/link/{key}/", {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    assert authenticate(RequestFactory().post("/accounts/login/"), username="zhang_li", password=NEW_PASSWORD) is not None


def test_a_clerk_without_an_authenticator_gets_a_reset_link_that_enrols_one(tree):
    services.reset_password(user=tree.user("b_clerk"), actor=tree.user("b_admin"))
    assert AccountLink.objects.get(user=tree.user("b_clerk")).purpose == AccountLink.Purpose.SETUP


def test_a_new_clerk_gets_a_link_that_also_enrols_the_authenticator(tree):
    user, _key = services.add_cadre(username="li_clerk", display_name="李", node=tree.c, role=Role.CLERK,
                                    actor=tree.user("b_admin"))
    assert AccountLink.objects.get(user=user).purpose == AccountLink.Purpose.SETUP


@pytest.mark.parametrize("form, field", [
    ({"username": "b_viewer"}, "username"),          # taken
    ({"username": "B_VIEWER"}, "username"),          # taken, another case
    ({"username": "has space"}, "username"),
    ({"phone": "1234"}, "phone"),
    ({"display_name": "  "}, "display_name"),
])
def test_bad_input_on_the_new_cadre_form_is_refused_and_creates_nothing(tree, form, field):
    before = _state()
    data = {"username": "wang_fang", "display_name": "王芳", "phone": "", "node": tree.c.pk, "role": Role.VIEWER, **form}
    response = _client(tree.user("b_admin")).post("/accounts/cadres/new/", data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert _state() == before


def test_no_cadre_is_created_at_a_node_outside_the_admins_subtree(tree):
    before = _state()
    response = _client(tree.user("b_admin")).post("/accounts/cadres/new/", {
        "username": "wang_fang", "display_name": "王芳", "node": tree.d.pk, "role": Role.VIEWER})
    assert response.status_code == 200 and "errorlist" in response.content.decode()  # not a choice
    with pytest.raises(NotPermitted):
        services.add_cadre(username="wang_fang", display_name="王芳", node=tree.a, role=Role.ADMIN,
                           actor=tree.user("b_admin"))
    assert _state() == before


# --- granting and revoking -----------------------------------------------------------------------

def test_an_admin_grants_and_revokes_a_role_below_their_node(tree):
    client, viewer = _client(tree.user("b_admin")), tree.user("b_viewer")
    response = client.post(f"/accounts/cadres/{viewer.pk}/grant/", {"node": tree.c.pk, "role": Role.REVIEWER})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=viewer, node=tree.c, role=Role.REVIEWER)
    assert AuditEntry.objects.filter(action="accounts.role.granted", object_id=str(viewer.pk)).exists()
    assert client.post(f"/accounts/roles/{assignment.pk}/revoke/").status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.get(action="accounts.role.revoked").data == {"node": tree.c.pk, "role": Role.REVIEWER}


def test_granting_above_ones_own_node_is_refused(tree):
    before = _state()
    viewer = tree.user("b_viewer")
    response = _client(tree.user("b_admin")).post(f"/accounts/cadres/{viewer.pk}/grant/",
                                                  {"node": tree.a.pk, "role": Role.ADMIN})
    assert response.status_code in (302, 404) and _state() == before
    with pytest.raises(NotPermitted):
        services.grant_role(user=viewer, node=tree.a, role=Role.ADMIN, actor=tree.user("b_admin"))
    with pytest.raises(NotPermitted):  # nor at a sibling township
        services.grant_role(user=viewer, node=tree.d, role=Role.VIEWER, actor=tree.user("b_admin"))
    assert _state() == before


def test_granting_to_oneself_is_refused(tree):
    before = _state()
    b_admin = tree.user("b_admin")
    response = _client(b_admin).post(f"/accounts/cadres/{b_admin.pk}/grant/", {"node": tree.c.pk, "role": Role.CLERK},
                                     follow=True)
    text = response.content.decode()
    assert "不能更改自己的角色" in text or "cannot change your own roles" in text
    assert _state() == before


def test_granting_to_a_deactivated_account_is_refused(tree):
    viewer = tree.user("b_viewer")
    services.set_active(user=viewer, active=False, actor=tree.user("b_admin"))
    before = _state()
    response = _client(tree.user("b_admin")).post(f"/accounts/cadres/{viewer.pk}/grant/",
                                                  {"node": tree.c.pk, "role": Role.CLERK}, follow=True)
    text = response.content.decode()
    assert "已停用" in text or "deactivated" in text
    assert _state() == before


def test_the_last_admin_of_a_node_cannot_be_revoked_or_deactivated(tree):
    a_admin, b_admin = tree.user("a_admin"), tree.user("b_admin")
    assignment = RoleAssignment.objects.get(user=b_admin, role=Role.ADMIN)
    before = _state()
    response = _client(a_admin).post(f"/accounts/roles/{assignment.pk}/revoke/", follow=True)
    assert "最后一位管理员" in response.content.decode() or "last administrator" in response.content.decode()
    response = _client(a_admin).post(f"/accounts/cadres/{b_admin.pk}/active/", {"active": "0"}, follow=True)
    assert "最后一位管理员" in response.content.decode() or "last administrator" in response.content.decode()
    assert _state() == before
    # With a second admin at B, the first may go.
    second = make_user("b_admin2", node=tree.b, roles=[Role.ADMIN])
    services.set_active(user=b_admin, active=False, actor=a_admin)
    with pytest.raises(DomainError) as refused:
        services.revoke_role(assignment=RoleAssignment.objects.get(user=second, role=Role.ADMIN), actor=a_admin)
    assert refused.value.code == "last_admin"


@POSTGRESQL_ONLY
def test_two_admins_removed_at_once_leave_one(transactional_db):
    from tests.factories import make_tree

    with scopes_disabled():
        t = make_tree()
        second = make_user("b_admin2", node=t.b, roles=[Role.ADMIN])
        a_admin2 = make_user("a_admin2", node=t.a, roles=[Role.ADMIN])
    results = race(lambda: services.set_active(user=t.user("b_admin"), active=False, actor=t.user("a_admin")),
                   lambda: services.set_active(user=second, active=False, actor=a_admin2))
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "User"]
    assert User.objects.filter(roles__node=t.b, roles__role=Role.ADMIN, is_active=True).count() == 1


# --- deactivation ----------------------------------------------------------------------------------

def test_deactivation_stops_sign_in_sessions_and_tokens_and_reactivation_restores_sign_in(tree):
    clerk = tree.user("b_clerk")
    session = _client(clerk)
    _token, key = services.create_api_token(user=clerk, name="t", second_factor=True)
    assert _client(tree.user("b_admin")).post(f"/accounts/cadres/{clerk.pk}/active/", {"active": "0"}).status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert session.get("/console/")["Location"].startswith("/accounts/login/")
    assert Client().get("/api/v1/nodes", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    assert authenticate(RequestFactory().post("/accounts/login/"), username="b_clerk", password=PASSWORD) is None
    assert _client(tree.user("b_admin")).post(f"/accounts/cadres/{clerk.pk}/active/", {"active": "1"}).status_code == 302
    assert authenticate(RequestFactory().post("/accounts/login/"), username="b_clerk", password=PASSWORD) is not None
    actions = list(AuditEntry.objects.filter(object_id=str(clerk.pk), action__startswith="accounts.user.")
                   .values_list("action", flat=True))
    assert actions == ["accounts.user.deactivated", "accounts.user.reactivated"]


def test_an_admin_cannot_manage_an_account_that_also_holds_a_role_beyond_their_subtree(tree):
    both = make_user("b_and_d", node=tree.b, roles=[Role.VIEWER])
    RoleAssignment.objects.create(user=both, node=tree.d, role=Role.VIEWER)
    before = _state()
    client = _client(tree.user("b_admin"))
    for url in (f"/accounts/cadres/{both.pk}/active/", f"/accounts/cadres/{both.pk}/reset-password/",
                f"/accounts/cadres/{both.pk}/reset-totp/"):
        assert client.post(url, {"active": "0"}).status_code == 403, url
    assert _state() == before


def test_a_township_admin_cannot_reach_the_county_admin(tree):
    a_admin = tree.user("a_admin")
    client = _client(tree.user("b_admin"))
    assert client.get(f"/accounts/cadres/{a_admin.pk}/").status_code == 404
    assert client.post(f"/accounts/cadres/{a_admin.pk}/reset-password/").status_code == 404


# --- resets by single-use links ----------------------------------------------------------------------

def _enrolled(user):
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def test_a_password_reset_link_works_once_and_the_old_password_stops(tree):
    clerk = _enrolled(tree.user("b_clerk"))
    response = _client(tree.user("b_admin")).post(f"/accounts/cadres/{clerk.pk}/reset-password/")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = _link_key(response)
    assert authenticate(RequestFactory().post("/accounts/login/"), username="b_clerk", password=PASSWORD) is None
    assert AuditEntry.objects.filter(action="accounts.password.reset", object_id=str(clerk.pk)).exists()
    form = {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert Client().post(f"/accounts/link/{key}/", form).status_code == 302
    assert authenticate(RequestFactory().post("/accounts/login/"), username="b_clerk", password=NEW_PASSWORD) is not None
    before = _state()
    again = Client().post(f"/accounts/link/{key}/", {"new_password": "Another#Pass99x", "new_password2": "Another#Pass99x"})
    assert again.status_code == 410
    assert "已被使用" in again.content.decode() or "already been used" in again.content.decode()
    assert _state() == before and authenticate(RequestFactory().post("/accounts/login/"), username="b_clerk", password=NEW_PASSWORD) is not None


def test_an_expired_link_is_refused_and_changes_nothing(tree):
    key = services.reset_password(user=_enrolled(tree.user("b_clerk")), actor=tree.user("b_admin"))
    link = AccountLink.objects.get(user=tree.user("b_clerk"))
    later = link.expires_at + datetime.timedelta(seconds=1)
    before = _state()
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = Client().post(f"/accounts/link/{key}/", {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "已过期" in response.content.decode() or "expired" in response.content.decode()
    assert _state() == before


def test_an_unknown_link_and_a_superseded_link_are_refused(tree):
    assert Client().get("/accounts/link/not-a-real-key/").status_code == 404
    first = services.reset_password(user=_enrolled(tree.user("b_clerk")), actor=tree.user("b_admin"))
    services.reset_password(user=tree.user("b_clerk"), actor=tree.user("b_admin"))
    assert Client().get(f"/accounts/link/{first}/").status_code == 410


def test_a_weak_password_on_the_link_is_refused_and_the_link_stays_usable(tree):
    key = services.reset_password(user=_enrolled(tree.user("b_clerk")), actor=tree.user("b_admin"))
    response = Client().post(f"/accounts/link/{key}/", {"new_password": "abc", "new_password2": "abc"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert AccountLink.objects.get(user=tree.user("b_clerk")).used_at is None


def test_a_totp_reset_removes_the_authenticator_and_is_audited(tree):
    clerk = _enrolled(tree.user("b_clerk"))
    response = _client(tree.user("b_admin")).post(f"/accounts/cadres/{clerk.pk}/reset-totp/")
    assert response.status_code == 200 and "/accounts/link/" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert AccountLink.objects.get(user=clerk).purpose == AccountLink.Purpose.TOTP
    entry = AuditEntry.objects.get(action="accounts.totp.reset")
    assert entry.object_id == str(clerk.pk) and entry.actor_id == str(tree.user("b_admin").pk)


def test_nobody_resets_their_own_account_from_the_admin_pages(tree):
    b_admin = tree.user("b_admin")
    before = _state()
    for url in ("reset-password", "reset-totp"):
        _client(b_admin).post(f"/accounts/cadres/{b_admin.pk}/{url}/")
    assert _state() == before


# --- one's own password ----------------------------------------------------------------------------------

def test_a_cadre_changes_their_own_password_and_other_sessions_end(tree):
    viewer = tree.user("b_viewer")
    other = _client(viewer)
    client = Client()
    assert client.post("/accounts/login/", {"username": "b_viewer", "password": PASSWORD}).status_code == 302
    wrong = client.post("/accounts/password/", {"old_password": "nope", "new_password": NEW_PASSWORD,
                                                "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 200 and "errorlist" in wrong.content.decode()
    weak = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "12345678901",
                                               "new_password2": "12345678901"})
    assert weak.status_code == 200 and "errorlist" in weak.content.decode()
    assert authenticate(RequestFactory().post("/accounts/login/"), username="b_viewer", password=PASSWORD) is not None
    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD,
                                               "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert authenticate(RequestFactory().post("/accounts/login/"), username="b_viewer", password=NEW_PASSWORD) is not None
    assert client.get("/console/").status_code == 200
    assert other.get("/console/")["Location"].startswith("/accounts/login/")
    entry = AuditEntry.objects.get(action="accounts.password.changed")
    assert entry.actor_id == str(viewer.pk) and NEW_PASSWORD not in str(entry.data)


def test_the_pages_are_in_chinese_by_default(tree):
    text = _client(tree.user("b_admin")).get("/accounts/cadres/new/").content.decode()
    assert 'lang="zh-hans"' in text and "用户名" in text


def test_an_outside_mediator_changes_their_own_password_too(tree):
    mediator = make_user("court_mediator", node=tree.a, roles=[Role.MEDIATOR])
    client = _client(mediator)
    assert client.get("/accounts/password/").status_code == 200
    done = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD,
                                               "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    mediator.refresh_from_db()
    assert mediator.check_password(NEW_PASSWORD)
    assert client.get("/accounts/cadres/").status_code == 403


@POSTGRESQL_ONLY
def test_a_link_used_twice_at_once_sets_one_password(transactional_db):
    from tests.factories import make_tree

    with scopes_disabled():
        t = make_tree()
        clerk = _enrolled(t.user("b_clerk"))
        key = services.reset_password(user=clerk, actor=t.user("b_admin"))
    results = race(lambda: services.use_link(key=key, new_password=NEW_PASSWORD),
                   lambda: services.use_link(key=key, new_password="Another#Pass99x"))
    assert sorted(type(r).__name__ for r in results) == ["DomainError", "User"]
    winner = NEW_PASSWORD if isinstance(results[0], User) else "Another#Pass99x"
    assert User.objects.get(pk=clerk.pk).check_password(winner)
    assert AuditEntry.objects.filter(action="accounts.password.set_by_link").count() == 1
