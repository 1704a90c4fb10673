"""The idle timeout without a write per request: a signed-in session is saved again (its expiry
pushed SESSION_COOKIE_AGE on) when the request changed it or when its last save is older than
GONGHUI_SESSION_REFRESH_SECONDS — not on every request (SESSION_SAVE_EVERY_REQUEST). The session
thus ends between AGE − REFRESH and AGE after the last request (30 minutes, at most 5 earlier).
With REDIS_URL the sessions are read from the cache, the database keeping them (cached_db)."""

from django.conf import settings
from django.utils import timezone

SAVED_AT = "_gh_saved"


class SessionRefreshMiddleware:
    """Below SessionMiddleware: decides, before it answers, whether the session is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        if session.modified or now - session.get(SAVED_AT, 0) >= settings.GONGHUI_SESSION_REFRESH_SECONDS:
            session[SAVED_AT] = now
        return response


def stamp_on_login(sender, request, user, **kwargs) -> None:
    """A sign-in writes the session anyway: stamp it then, so the first page after it needs no second write."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SAVED_AT] = int(timezone.now().timestamp())
