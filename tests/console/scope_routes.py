"""Scope-proof registrations of the console's own pages (the audit log)."""

from tests.scope_kit import CADRE_ANY, Route

ROUTES = {
    "console:audit": Route(CADRE_ANY),
    "console:audit_export": Route(CADRE_ANY),
    "api:list_audit_entries": Route(CADRE_ANY),
}
