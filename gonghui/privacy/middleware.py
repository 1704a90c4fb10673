"""Worker pages wait for the current privacy notice: a signed-in worker who has not accepted its
version (first sign-in, a new version, or consent withdrawn) is sent to the notice first. The
privacy pages themselves (download, deletion …), sign-in and sign-out stay open. An account that
was anonymised after a deletion request is signed out."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

OPEN_PREFIXES = ("/w/privacy/", "/w/login/", "/w/logout/", "/w/card/check/")


class PrivacyNoticeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        worker = getattr(request, "worker", None)
        if worker is not None and request.path.startswith("/w/"):
            from . import selectors

            if selectors.is_anonymised(worker):
                from gonghui.accounts.middleware import WORKER_SESSION_KEY

                request.session.pop(WORKER_SESSION_KEY, None)
                request.worker = None
                return redirect("worker:home")
            if (settings.GONGHUI_PRIVACY_NOTICE_REQUIRED and not request.path.startswith(OPEN_PREFIXES)
                    and not selectors.has_current_consent(worker)):
                return redirect(f"/w/privacy/notice/?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
