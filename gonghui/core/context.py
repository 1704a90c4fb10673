"""Who and where the current request comes from, for the audit log (set by middleware)."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str = ""
    user_agent: str = ""
    channel: str = ""  # "console", "worker", "api", "cli"


CLI_ORIGIN = RequestOrigin(channel="cli")
origin: ContextVar[RequestOrigin] = ContextVar("origin", default=CLI_ORIGIN)  # noqa: B039  frozen, immutable


def client_ip(meta: dict) -> str:
    # Behind a proxy the deployment sets GONGHUI_TRUST_X_FORWARDED_FOR; see docs/deployment.
    from django.conf import settings

    if getattr(settings, "GONGHUI_TRUST_X_FORWARDED_FOR", False) and meta.get("HTTP_X_FORWARDED_FOR"):
        return meta["HTTP_X_FORWARDED_FOR"].split(",")[0].strip()
    return meta.get("REMOTE_ADDR", "")
