"""Shared helpers of the API tests: a token client and a snapshot of what the API can change."""

from django.test import Client
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.core.models import AuditEntry
from gonghui.orgs.models import Employer, Node, NodeEvent


class ApiClient:
    """A test client that sends a bearer token and JSON."""

    def __init__(self, key: str | None = None, language: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path, **query):
        return self.client.get("/api/v1" + path, query, headers=self.headers)

    def post(self, path, data=None):
        return self.client.post("/api/v1" + path, data if data is not None else {}, content_type="application/json",
                                headers=self.headers)

    def patch(self, path, data):
        return self.client.patch("/api/v1" + path, data, content_type="application/json", headers=self.headers)

    def raw(self, method, path, body: bytes | str, content_type="application/json"):
        return getattr(self.client, method)("/api/v1" + path, body, content_type=content_type, headers=self.headers)


def token_for(user, name="test") -> str:
    with scopes_disabled():
        _token, key = create_api_token(user=user, name=name)
    return key


def api_as(tree, username, language=None) -> ApiClient:
    return ApiClient(token_for(tree.user(username)), language=language)


def snapshot() -> dict:
    """The tree, the ledger and the audit log: what a refused write must leave untouched."""
    with scopes_disabled():
        return {
            "nodes": list(Node.objects.order_by("pk").values()),
            "employers": list(Employer.objects.order_by("pk").values()),
            "events": NodeEvent.objects.count(),
            "audit": AuditEntry.objects.filter(action__startswith="orgs.").count(),
        }
