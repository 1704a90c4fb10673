"""Scope proof routes of the roster registered beside its tests (the older ones are in
tests/test_scope_proof.py): the doors of cancelling a transfer and revoking a member card, and the
member page's services panel (fetched after the page's first paint), and the pages of a staged
import's errors."""

from tests.scope_kit import _member_pk, _staged_import, _transfer, scoped

ROUTES = {
    "members:transfer_cancel": scoped(_transfer, data=lambda t, n: {}, get=False),
    "members:card_revoke": scoped(_member_pk, data=lambda t, n: {}, get=False),
    "members:services": scoped(_member_pk),
    "api:cancel_transfer": scoped(_transfer, param="transfer_id", data=lambda t, n: {}),
    "api:revoke_member_card": scoped(_member_pk, param="member_id", data=lambda t, n: {}),
    "api:import_errors": scoped(_staged_import, param="token"),
}
