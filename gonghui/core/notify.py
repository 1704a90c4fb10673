"""Notifications to people (workers by phone).

``notify(...)`` is what every module calls. With the messaging app installed (the default:
``gonghui.messaging`` registers itself with ``set_outbox``) it writes an outbox row in the same
transaction as the change, and a worker process sends it later (docs/messaging.md): nothing is
sent inside a request. Without it, the message is handed to GONGHUI_NOTIFIER after commit.

GONGHUI_NOTIFIER names the class that finally delivers a message: development logs it, tests keep
it in memory, production plugs in the SMS provider (``gonghui.messaging.senders.SmsNotifier``).
A notifier has ``send(phone=, text=)``; one that can send approved templates also has
``send_template(phone=, kind=, params=)``.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from gonghui.core.masking import mask_phone

logger = logging.getLogger("gonghui.notify")


class LogNotifier:
    """Development: the message in the terminal, the number masked as everywhere (a log keeps no
    phone numbers; whoever signs in knows their own). Refused in production."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("message to %s: %s", mask_phone(phone), text)


class MemoryNotifier:
    outbox: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        MemoryNotifier.outbox.append((phone, text))


_outbox: Callable[..., object] | None = None
_parked_lookup: Callable[[list[str]], set[str]] | None = None


def set_outbox(writer: Callable[..., object] | None) -> None:
    """Register the outbox (``gonghui.messaging`` does, when its app is ready)."""
    global _outbox
    _outbox = writer


def set_parked_lookup(reader: Callable[[list[str]], set[str]] | None) -> None:
    """Register the reader of given-up messages (``gonghui.messaging`` does, with the outbox)."""
    global _parked_lookup
    _parked_lookup = reader


def parked(dedupe_keys: list[str]) -> set[str]:
    """Those of ``dedupe_keys`` whose message was given up (the provider refused it, or every try
    failed): it never reached the person. Empty without an outbox (nothing is known to have failed)."""
    if _parked_lookup is None or not dedupe_keys:
        return set()
    return _parked_lookup(dedupe_keys)


def notify(*, phone: str, text: str, kind: str = "", params: dict | None = None, urgent: bool = False,
           dedupe_key: str = "") -> None:
    """Send ``text`` to ``phone`` once the current transaction commits.

    ``kind`` names the message's approved SMS template and ``params`` its parameters; ``text`` is
    the same message in words (the worker's inbox, a development log). ``dedupe_key``: a message
    with a key already queued is not queued again.
    """
    if not phone:
        return
    if _outbox is not None:
        _outbox(phone=phone, text=str(text), kind=kind or "general", params=params or {}, urgent=urgent,
                dedupe_key=dedupe_key)
        return
    notifier = import_string(settings.GONGHUI_NOTIFIER)()
    transaction.on_commit(lambda: notifier.send(phone=phone, text=str(text)))
