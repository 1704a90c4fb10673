"""Signed tokens of printed QR codes: certificates, join posters, station codes, posted lists.

A printed code outlives sessions: it is signed with its own key, ``GONGHUI_QR_SIGNING_KEY``, never
the session secret ``DJANGO_SECRET_KEY``, so rotating either key leaves the other's tokens alone.
Retired QR keys (``GONGHUI_QR_SIGNING_KEY_FALLBACKS``) still verify. Codes of a kind printed before
it had its own key (``legacy=True``: join posters, station codes, aid publicity links) were signed
with the session secret: those still verify with the session secret and its fallbacks, so posters
already on the wall keep working; a code printed from now on never depends on the session secret.
Each kind keeps its own salt, so a token of one kind is never accepted as another.
"""

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured


def key() -> str:
    value = settings.GONGHUI_QR_SIGNING_KEY
    if not value:
        raise ImproperlyConfigured("GONGHUI_QR_SIGNING_KEY must be set: it signs printed QR codes")
    return value


def fallback_keys(*, legacy: bool = False) -> list[str]:
    """Keys that still verify: retired QR keys; with ``legacy``, the session secret (and its retired
    keys) that signed this kind of code before it had its own key."""
    keys = list(settings.GONGHUI_QR_SIGNING_KEY_FALLBACKS)
    if legacy:
        keys += [k for k in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS] if k]
    return keys


def signer(*, salt: str, legacy: bool = False) -> signing.Signer:
    """A plain (untimed) signer of printed codes; ``sign``/``sign_object`` and their inverses."""
    return signing.Signer(key=key(), salt=salt, fallback_keys=fallback_keys(legacy=legacy))


def dumps(obj: Any, *, salt: str, compress: bool = False) -> str:
    """A timestamped token (``signing.dumps``) under the QR key."""
    return signing.dumps(obj, key=key(), salt=salt, compress=compress)


def loads(token: str, *, salt: str, max_age=None, legacy: bool = False) -> Any:
    """The inverse of ``dumps``; raises ``signing.BadSignature`` (or ``SignatureExpired``)."""
    return signing.loads(token, key=key(), salt=salt, max_age=max_age, fallback_keys=fallback_keys(legacy=legacy))
