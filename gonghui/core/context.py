"""Who and where the current request comes from, for the audit log (set by middleware), and the
client's address behind the deployment's proxies (the one function for the audit log, django-axes
and every rate limit)."""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from ipware import get_client_ip


@dataclass(frozen=True)
class RequestOrigin:
    ip: str = ""
    user_agent: str = ""
    channel: str = ""  # "console", "worker", "api", "cli"


CLI_ORIGIN = RequestOrigin(channel="cli")
origin: ContextVar[RequestOrigin] = ContextVar("origin", default=CLI_ORIGIN)  # noqa: B039  frozen, immutable


class _Meta:
    """What django-ipware reads from a request: its META."""

    def __init__(self, meta):
        self.META = meta


def client_ip(request) -> str:
    """The client's address: a request (or its META) in, an address (or "") out.

    GONGHUI_TRUSTED_PROXY_COUNT says how many proxies the deployment puts in front of the
    application (1 for the nginx of deploy/nginx-gonghui.conf). 0, the default: the peer of the
    connection (REMOTE_ADDR) is the client and X-Forwarded-For is not believed, as anyone can send
    it. N > 0: the N-th address from the right of X-Forwarded-For, the one the outermost trusted
    proxy appended (nginx's $proxy_add_x_forwarded_for), so addresses a client wrote in front of it
    are ignored. The header is read with django-ipware."""
    meta = getattr(request, "META", request)
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = settings.GONGHUI_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # django-ipware counts the proxies *listed in* X-Forwarded-For; the innermost proxy is the
    # connection's peer and never lists itself, hence proxies - 1. Not strict: a longer chain
    # (a client's own X-Forwarded-For in front) is normal, its left part is simply not read.
    ip, _routable = get_client_ip(_Meta(meta), proxy_order="left-most", proxy_count=proxies - 1,
                                  request_header_order=["HTTP_X_FORWARDED_FOR"], strict=False)
    return ip or remote
