"""How a claimed message finally goes out: through GONGHUI_NOTIFIER.

A notifier with ``send_template(phone=, kind=, params=)`` sends the kind's approved template (SMS in
mainland China allows no free text); one with only ``send(phone=, text=)`` gets the words (the log in
development, memory in tests). ``SmsNotifier`` is the production one: each kind's template code from
GONGHUI_SMS_TEMPLATES, sent through the provider backend of GONGHUI_SMS_BACKEND (Alibaba Cloud or
Tencent Cloud, gonghui.accounts.sms_providers).
"""

import json

from django.conf import settings
from django.utils.module_loading import import_string

from gonghui.accounts.sms import get_backend
from gonghui.accounts.sms_providers import SmsRejected, SmsRetryable

__all__ = ["SmsNotifier", "SmsRejected", "SmsRetryable", "send", "sends_templates", "templates"]


def templates() -> dict[str, str]:
    """GONGHUI_SMS_TEMPLATES "kind=code,kind=code" as a dict."""
    pairs = (item.split("=", 1) for item in settings.GONGHUI_SMS_TEMPLATES if "=" in item)
    return {kind.strip(): code.strip() for kind, code in pairs}


class SmsNotifier:
    """Each message kind's approved template through the SMS provider."""

    def __init__(self):
        self.backend = get_backend()
        self.templates = templates()

    def send_template(self, *, phone: str, kind: str, params: dict[str, str]) -> None:
        code = self.templates.get(kind)
        if not code:
            raise SmsRejected("sms_no_template", "", provider=getattr(self.backend, "name", "sms"),
                              provider_code="no_template", provider_message=f"no approved template for kind {kind} "
                                                                            "in GONGHUI_SMS_TEMPLATES")
        self.backend.send_template(phone, code, params)

    def send(self, *, phone: str, text: str) -> None:
        raise SmsRejected("sms_free_text", "", provider="sms", provider_code="free_text",
                          provider_message="free text cannot be sent by SMS")


def _notifier():
    return import_string(settings.GONGHUI_NOTIFIER)()


def sends_templates() -> bool:
    return hasattr(import_string(settings.GONGHUI_NOTIFIER), "send_template")


def queue_is_database() -> bool:
    return "DatabaseBackend" in settings.TASKS["default"]["BACKEND"]


def send(message) -> None:
    if message.kind == "sign_in_code":  # the provider's verification-code template (docs/sms.md)
        get_backend().send_code(message.phone, json.loads(message.params or "{}").get("code", ""))
        return
    notifier = _notifier()
    if hasattr(notifier, "send_template"):
        notifier.send_template(phone=message.phone, kind=message.kind, params=json.loads(message.params or "{}"))
    else:
        notifier.send(phone=message.phone, text=message.text)
