"""Notifications to people (workers by phone). Pluggable: GONGHUI_NOTIFIER names the class.

Development logs the message; tests keep it in memory; production plugs in an SMS or WeChat
template-message client. Sent after commit, so a rolled-back change notifies nobody.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger("gonghui.notify")


class LogNotifier:
    def send(self, *, phone: str, text: str) -> None:
        logger.warning("message to %s: %s", phone, text)


class MemoryNotifier:
    outbox: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        MemoryNotifier.outbox.append((phone, text))


def notify(*, phone: str, text: str) -> None:
    """Send ``text`` to ``phone`` once the current transaction commits."""
    if not phone:
        return
    notifier = import_string(settings.GONGHUI_NOTIFIER)()
    transaction.on_commit(lambda: notifier.send(phone=phone, text=str(text)))
