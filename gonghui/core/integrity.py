"""Integrity verifiers of append-only ledgers, run by ``gonghui audit-verify`` beside the audit log.

An app registers ``register(label, verify)`` in its AppConfig.ready(); ``verify()`` returns a
``(rows checked, [problems])`` pair. core knows no app: the apps come to it. The logs of
``core.log`` other than the audit log (the money ledgers) are listed here too: their rows' hashes and
the checkpoints in the database (not the exported copies, which a restored backup may predate).
"""

from collections.abc import Callable

Verifier = Callable[[], tuple[int, list[str]]]
_VERIFIERS: dict[str, Verifier] = {}


def register(label: str, verify: Verifier) -> None:
    _VERIFIERS[label] = verify


def _log_verifier(label: str) -> Verifier:
    def verify() -> tuple[int, list[str]]:
        from .log import verify_log

        result = verify_log(label, exported=[])
        return result.checked, result.problems

    return verify


def verifiers() -> dict[str, Verifier]:
    from .log import logs

    found = {label: _log_verifier(label) for label in logs() if label != "core.audit"}
    return {**found, **_VERIFIERS}
