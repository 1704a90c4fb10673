"""Scope proof routes of cadre accounts (see tests/scope_kit.py and tests/test_scope_proof.py).

An account belongs to the nodes where it holds roles: a cadre "under a node" is a fresh viewer
there. b_admin (township B) manages the viewer of enterprise C; a viewer of township D or of the
county A is not found (404), and nothing changes.
"""

from gonghui.accounts.models import Role, RoleAssignment
from gonghui.orgs.models import Node
from tests.factories import make_user
from tests.scope_kit import CADRE_ANY, PUBLIC, Route, _node, _seq, scoped


def _cadre(tree, node: Node) -> int:
    return make_user(f"viewer_{node.pk}_{next(_seq)}", node=node, roles=[Role.VIEWER]).pk


def _assignment(tree, node: Node) -> int:
    user = make_user(f"reviewer_{node.pk}_{next(_seq)}", node=node, roles=[Role.REVIEWER])
    return RoleAssignment.objects.get(user=user).pk


def _sibling_cadre(tree, node: Node) -> int:
    """For the leak check: an account named after township D (河口) holding a role there."""
    user = make_user(f"hekou_{next(_seq)}", node=node, roles=[Role.VIEWER])
    user.display_name = "河口镇干部"
    user.save(update_fields=["display_name"])
    return user.pk


def _new_cadre(tree, node):
    return {"username": f"new_cadre_{next(_seq)}", "display_name": "新干部", "phone": "", "node": node.pk,
            "role": Role.VIEWER}


ROUTES = {
    "accounts:password": Route(CADRE_ANY),
    "accounts:link": PUBLIC,  # an unknown key answers a page saying so
    "accounts:tokens": Route(CADRE_ANY),  # one's own tokens only
    "accounts:token_revoke": Route(CADRE_ANY, get=False),  # one's own token; another's is 404 (test_tokens.py)
    "accounts:cadres": Route(CADRE_ANY),
    "accounts:cadre_create": scoped(_node, param="?node", data=_new_cadre),
    "accounts:cadre": scoped(_cadre),
    "accounts:cadre_grant": scoped(_cadre, data=lambda t, n: {"node": t.c.pk, "role": Role.REVIEWER}, get=False),
    "accounts:cadre_active": scoped(_cadre, data=lambda t, n: {"active": "0"}, get=False),
    "accounts:cadre_reset_password": scoped(_cadre, data=lambda t, n: {}, get=False),
    "accounts:cadre_reset_totp": scoped(_cadre, data=lambda t, n: {}, get=False),
    "accounts:role_revoke": scoped(_assignment, data=lambda t, n: {}, get=False),
    # API
    "api:list_role_holders": Route("node-scoped", target=_node, param="?node"),
    "api:create_cadre": scoped(_node, param="", pk_field="node_id", data=lambda t, n: {
        "username": f"api_cadre_{next(_seq)}", "name": "新干部", "role": Role.VIEWER}),
    "api:get_cadre": scoped(_cadre, param="user_id"),
    "api:grant_role": scoped(_cadre, param="user_id", data=lambda t, n: {"node_id": t.c.pk, "role": Role.REVIEWER}),
    "api:revoke_role": scoped(_assignment, param="assignment_id", data=lambda t, n: {}),
    "api:set_cadre_active": scoped(_cadre, param="user_id", data=lambda t, n: {"active": False}),
    "api:reset_cadre_password": scoped(_cadre, param="user_id", data=lambda t, n: {}),
    "api:reset_cadre_totp": scoped(_cadre, param="user_id", data=lambda t, n: {}),
    "api:change_my_password": Route(CADRE_ANY, data=lambda t, n: {"old_password": "not-mine", "new_password": "x"}),
}

SIBLING_SEEDS = [_sibling_cadre]
