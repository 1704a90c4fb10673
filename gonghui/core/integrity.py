"""Integrity verifiers of append-only ledgers, run by ``gonghui audit-verify`` beside the audit log.

An app registers ``register(label, verify)`` in its AppConfig.ready(); ``verify()`` returns a
``(rows checked, [problems])`` pair. core knows no app: the apps come to it.
"""

from collections.abc import Callable

Verifier = Callable[[], tuple[int, list[str]]]
_VERIFIERS: dict[str, Verifier] = {}


def register(label: str, verify: Verifier) -> None:
    _VERIFIERS[label] = verify


def verifiers() -> dict[str, Verifier]:
    return dict(_VERIFIERS)
