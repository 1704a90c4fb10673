"""SMS backends. Production uses a provider (gonghui.accounts.sms_providers: Alibaba Cloud, Tencent
Cloud; docs/sms.md); development writes the code to the log, tests keep it in memory."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("gonghui.sms")


class LogSmsBackend:
    def send_code(self, phone: str, code: str) -> None:
        logger.warning("SMS to %s: your gonghui sign-in code is %s", phone, code)


class MemorySmsBackend:
    """Keeps sent messages in memory, for tests."""

    outbox: list[tuple[str, str]] = []

    def send_code(self, phone: str, code: str) -> None:
        MemorySmsBackend.outbox.append((phone, code))


def get_backend():
    return import_string(settings.GONGHUI_SMS_BACKEND)()
