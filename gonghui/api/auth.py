"""API authentication: a bearer token (resolved by ScopeMiddleware) or the console session with CSRF.

A console session counts only once the sign-in is complete: an account that must use a second
factor (admins at county level and above) and has typed only its password gets 401 here, as the
console sends it to the code page. Tokens are issued by an operator (``manage.py create_token``)
and stand on their own.
"""

from ninja.security import HttpBearer, SessionAuth

from gonghui.accounts.permissions import is_mediator_only, requires_totp
from gonghui.core.errors import NotPermitted

# A mediator-only account reaches the rights cases (which show it only the cases it is invited to
# or assigned) and its own account, and no other endpoint: 403 everywhere else.
MEDIATOR_API_PREFIXES = ("/api/v1/rights/cases", "/api/v1/accounts/me/")


def _confined(request, user):
    if user is not None and is_mediator_only(user) and not request.path.startswith(MEDIATOR_API_PREFIXES):
        raise NotPermitted("mediator")
    return user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <key>``. The key is looked up once, by ScopeMiddleware (which must
    know the user before it opens the scope); here we only accept what it resolved. Declared as
    an HttpBearer so that the OpenAPI document names the scheme."""

    def authenticate(self, request, token):
        if getattr(request, "api_token_auth", False):
            return _confined(request, request.user)
        return None


bearer_token = BearerToken()


class ConsoleSession(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None:
            return None
        if requires_totp(user) and not (hasattr(user, "is_verified") and user.is_verified()):
            return None
        return _confined(request, user)


session = ConsoleSession(csrf=True)
API_AUTH = [bearer_token, session]

