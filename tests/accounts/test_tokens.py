"""One's own API tokens, issued in the console after the second factor (issue 16, finding 7)."""

from django.test import Client

from gonghui.accounts.models import ApiToken
from gonghui.accounts.services import create_api_token
from gonghui.core.models import AuditEntry


def _client(user) -> Client:
    client = Client()
    client.force_login(user)  # with the second factor done, as the console requires of a clerk
    return client


def _key(response) -> str:
    text = response.content.decode()
    start = text.index('<code class="link-key">') + len('<code class="link-key">')
    return text[start:text.index("</code>", start)]


def test_a_verified_clerk_issues_a_token_that_records_the_second_factor(tree):
    clerk = tree.user("b_clerk")
    response = _client(clerk).post("/accounts/tokens/", {"name": "报表系统"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    key = _key(response)
    token = ApiToken.objects.get(user=clerk)
    assert token.second_factor and token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    assert Client().get("/api/v1/nodes", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert AuditEntry.objects.get(action="accounts.token.created").data["second_factor"] is True
    # Shown once: the list shows only the prefix.
    assert key not in _client(clerk).get("/accounts/tokens/").content.decode()


def test_a_token_without_a_name_is_refused(tree):
    response = _client(tree.user("b_clerk")).post("/accounts/tokens/", {"name": "  "}, follow=True)
    assert response.status_code == 200 and not ApiToken.objects.exists()


def test_one_revokes_ones_own_token_and_not_anothers(tree):
    mine, _key_mine = create_api_token(user=tree.user("b_clerk"), name="mine")
    theirs, _key_theirs = create_api_token(user=tree.user("b_viewer"), name="theirs")
    client = _client(tree.user("b_clerk"))
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
