"""The cadre-account API (/api/v1/accounts/…): the console's rules and scoping, as JSON."""

from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from gonghui.accounts.models import AccountLink, Role, RoleAssignment, User
from gonghui.accounts.services import create_api_token
from gonghui.core.models import AuditEntry

NEW_PASSWORD = "Xq7!mountain-Lake"


class Api:
    def __init__(self, user):
        with scopes_disabled():
            _token, key = create_api_token(user=user, name="test", second_factor=True)
        self.client, self.headers = Client(), {"Authorization": f"Bearer {key}"}

    def get(self, path, **query):
        return self.client.get("/api/v1/accounts" + path, query, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post("/api/v1/accounts" + path, data or {}, content_type="application/json",
                                headers=self.headers)


def _state():
    with scopes_disabled():
        return (list(User.objects.order_by("pk").values("pk", "is_active", "password")),
                list(RoleAssignment.objects.order_by("pk").values()), AccountLink.objects.count())


def test_the_list_is_the_admins_subtree_filtered_and_paged(tree):
    items = Api(tree.user("b_admin")).get("/roles").json()["items"]
    assert {i["username"] for i in items} == {"b_admin", "b_clerk", "b_viewer"}
    assert {i["node_name"] for i in items} == {tree.b.name}
    items = Api(tree.user("a_admin")).get("/roles", role="admin", node=tree.d.pk).json()["items"]
    assert [(i["username"], i["role"]) for i in items] == [("d_admin", "admin")]
    assert Api(tree.user("b_admin")).get("/roles", node=tree.d.pk).status_code == 404
    assert Api(tree.user("b_viewer")).get("/roles").status_code == 403


def test_create_answers_a_single_use_link_and_masks_the_phone(tree):
    response = Api(tree.user("b_admin")).post("/cadres", {"username": "zhou_min", "name": "周敏",
                                                          "phone": "13812345678", "node_id": tree.c.pk,
                                                          "role": "viewer"})
    assert response.status_code == 201
    body = response.json()
    assert body["cadre"]["phone"] == "138****5678" and body["cadre"]["roles"][0]["node_id"] == tree.c.pk
    assert "/accounts/link/" in body["link"] and body["expires_in_hours"] > 0
    key = body["link"].rstrip("/").rsplit("/", 1)[1]
    assert Client().post(f"/accounts/link/{key}/", {"new_password": NEW_PASSWORD,
                                                    "new_password2": NEW_PASSWORD}).status_code == 302
    assert User.objects.get(username="zhou_min").check_password(NEW_PASSWORD)


def test_bad_input_is_refused_in_chinese_and_changes_nothing(tree):
    api, viewer = Api(tree.user("b_admin")), tree.user("b_viewer")
    before = _state()
    taken = api.post("/cadres", {"username": "b_clerk", "name": "重名", "node_id": tree.c.pk, "role": "viewer"})
    assert taken.status_code == 400 and taken.json()["code"] == "username_taken" and "已被使用" in taken.json()["detail"]
    assert api.post("/cadres", {"username": "x1", "name": "甲", "node_id": tree.c.pk, "role": "boss"}).status_code == 422
    # above one's own node, at a sibling, to oneself
    assert api.post(f"/cadres/{viewer.pk}/roles", {"node_id": tree.a.pk, "role": "admin"}).status_code == 404
    assert api.post(f"/cadres/{viewer.pk}/roles", {"node_id": tree.d.pk, "role": "viewer"}).status_code == 404
    own = api.post(f"/cadres/{tree.user('b_admin').pk}/roles", {"node_id": tree.c.pk, "role": "clerk"})
    assert own.status_code == 400 and own.json()["code"] == "own_roles"
    # the last admin of B
    last = RoleAssignment.objects.get(user=tree.user("b_admin"), role=Role.ADMIN)
    refused = Api(tree.user("a_admin")).post(f"/roles/{last.pk}/revoke")
    assert refused.status_code == 400 and refused.json()["code"] == "last_admin"
    refused = Api(tree.user("a_admin")).post(f"/cadres/{tree.user('b_admin').pk}/active", {"active": False})
    assert refused.status_code == 400 and refused.json()["code"] == "last_admin"
    assert _state() == before


def test_grant_to_a_deactivated_account_is_refused(tree):
    api, viewer = Api(tree.user("b_admin")), tree.user("b_viewer")
    assert api.post(f"/cadres/{viewer.pk}/active", {"active": False}).json()["active"] is False
    before = _state()
    refused = api.post(f"/cadres/{viewer.pk}/roles", {"node_id": tree.c.pk, "role": "clerk"})
    assert refused.status_code == 400 and refused.json()["code"] == "account_inactive"
    assert _state() == before


def test_grant_revoke_and_resets_are_audited(tree):
    api, viewer = Api(tree.user("b_admin")), tree.user("b_viewer")
    granted = api.post(f"/cadres/{viewer.pk}/roles", {"node_id": tree.c.pk, "role": "reviewer"})
    assert granted.status_code == 201 and granted.json()["role"] == "reviewer"
    assert api.post(f"/roles/{granted.json()['id']}/revoke").json()["node_id"] == tree.c.pk
    TOTPDevice.objects.create(user=viewer, name="authenticator", confirmed=True)
    reset = api.post(f"/cadres/{viewer.pk}/password-reset")
    assert reset.status_code == 200 and "/accounts/link/" in reset.json()["link"]
    totp = api.post(f"/cadres/{viewer.pk}/totp-reset")
    assert totp.status_code == 200 and not TOTPDevice.objects.filter(user=viewer).exists()
    actions = set(AuditEntry.objects.filter(object_id=str(viewer.pk)).values_list("action", flat=True))
    assert {"accounts.role.granted", "accounts.role.revoked", "accounts.password.reset", "accounts.totp.reset",
            "accounts.link.issued"} <= actions


def test_my_password_needs_the_current_one(tree):
    api = Api(tree.user("b_viewer"))
    wrong = api.post("/me/password", {"old_password": "nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400 and wrong.json()["field"] == "old_password"
    weak = api.post("/me/password", {"old_password": "Tr0ub4dor&3x!", "new_password": "abc"})
    assert weak.status_code == 422 and "new_password" in weak.json()["errors"]
    assert api.post("/me/password", {"old_password": "Tr0ub4dor&3x!", "new_password": NEW_PASSWORD}).status_code == 204
    assert User.objects.get(username="b_viewer").check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password.changed").count() == 1
