"""django-csp's middleware with the plain policy built once per process.

Most responses (every JSON answer, every page without an inline script) use no nonce and set no
policy of their own, so their two headers are the same strings every time; django-csp builds
them anew for each response (~30 µs, 5 % of a rush's refused sign-up). Here those two strings are
built once and kept until the CSP settings change; a response that used a nonce or carries its own
policy (the decorators' attributes) goes through django-csp unchanged.
"""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a response may carry to change its own policy (csp.decorators).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


@cache
def plain_policies() -> tuple[str, str]:
    """The enforced and the report-only policy of a response with no nonce and no policy of its own."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        plain_policies.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
                getattr(response, name, None) is not None for name in _OWN_POLICY):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:  # django-csp leaves the debug pages alone
            return response
        for header, value, exempt, setting in zip(
                (HEADER, HEADER_REPORT_ONLY), plain_policies(), ("_csp_exempt", "_csp_exempt_ro"),
                ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"), strict=True):
            excluded = tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())
            if (value and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(excluded)):
                response[header] = value
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
