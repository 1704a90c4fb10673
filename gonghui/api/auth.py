"""API authentication: a bearer token (resolved by ScopeMiddleware) or the console session with CSRF."""

from ninja.security import SessionAuth


def bearer_token(request):
    if getattr(request, "api_token_auth", False):
        return request.user
    return None


session = SessionAuth(csrf=True)
API_AUTH = [bearer_token, session]
