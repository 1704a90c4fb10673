"""Encryption at rest for personal data and the keyed hash used to look it up.

Ciphertext format: ``v1:<key id>:<base64url(nonce || ciphertext+tag)>``. The key id is the first
8 hex digits of SHA-256 of the key, so a value always names the key that sealed it. The first
configured key encrypts; every configured key decrypts, which is how keys rotate: put the new key
first, run ``gonghui rotate-keys``, then drop the old key.

Keys are checked at the door (``key_format_problems``): each field key is 32 bytes of strict base64,
the hash key at least 32; a malformed key stops the start instead of failing at first use. A key's
``fingerprint`` (an HMAC of a fixed label under the key) is what the database records and a backup
names: it identifies a key without revealing it.
"""

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

PREFIX = "v1"
_URLSAFE = bytes.maketrans(b"+/", b"-_")
FIELD_KEYS_SETTING = "GONGHUI_FIELD_KEYS"
HASH_KEY_SETTING = "GONGHUI_HASH_KEY"
FIELD_KEY_BYTES = 32
MIN_HASH_KEY_BYTES = 32
_FINGERPRINT_LABEL = b"gonghui key fingerprint v1\x00"


def _strict_b64(text: str) -> bytes | None:
    """The bytes of standard base64 text, or None: no character is silently dropped."""
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None


def field_key_problems(keys) -> list[str]:
    if not keys:
        return [_("%(setting)s is empty: at least one key is needed.") % {"setting": FIELD_KEYS_SETTING}]
    problems = []
    for n, text in enumerate(keys, start=1):
        raw = _strict_b64(text)
        if raw is None:
            problems.append(_("%(setting)s: key %(n)d is not base64 text.") % {"setting": FIELD_KEYS_SETTING, "n": n})
        elif len(raw) != FIELD_KEY_BYTES:
            problems.append(_("%(setting)s: key %(n)d is %(got)d bytes; a field key is %(want)d bytes.")
                            % {"setting": FIELD_KEYS_SETTING, "n": n, "got": len(raw), "want": FIELD_KEY_BYTES})
    return problems


def hash_key_problems(text: str) -> list[str]:
    if not text:
        return [_("%(setting)s is empty.") % {"setting": HASH_KEY_SETTING}]
    raw = _strict_b64(text)
    if raw is None:
        return [_("%(setting)s is not base64 text.") % {"setting": HASH_KEY_SETTING}]
    if len(raw) < MIN_HASH_KEY_BYTES:
        return [_("%(setting)s is %(got)d bytes; the hash key needs at least %(want)d.")
                % {"setting": HASH_KEY_SETTING, "got": len(raw), "want": MIN_HASH_KEY_BYTES}]
    return []


def key_format_problems() -> list[str]:
    """One line per malformed key setting, naming it; empty when every key is usable."""
    return field_key_problems(settings.GONGHUI_FIELD_KEYS) + hash_key_problems(settings.GONGHUI_HASH_KEY)


def fingerprint(raw: bytes, setting: str) -> str:
    """Identifies a key without revealing it: HMAC-SHA256 of a fixed label under the key, 16 hex digits."""
    return hmac.digest(raw, _FINGERPRINT_LABEL + setting.encode(), "sha256").hex()[:16]


def configured_fingerprints() -> dict[str, list[str]]:
    """Fingerprints of the configured keys (field keys newest first). Call after key_format_problems()."""
    return {
        FIELD_KEYS_SETTING: [fingerprint(_decode_key(t), FIELD_KEYS_SETTING) for t in settings.GONGHUI_FIELD_KEYS],
        HASH_KEY_SETTING: [fingerprint(_hash_key(settings.GONGHUI_HASH_KEY), HASH_KEY_SETTING)],
    }


def _decode_key(text: str) -> bytes:
    key = _strict_b64(text)
    if key is None or len(key) != FIELD_KEY_BYTES:
        raise ImproperlyConfigured(" ".join(field_key_problems([text])))
    return key


@lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    if not keys:
        raise ImproperlyConfigured("GONGHUI_FIELD_KEYS is empty")
    ring = []
    for text in keys:
        raw = _decode_key(text)
        ring.append((hashlib.sha256(raw).hexdigest()[:8], AESGCM(raw)))
    return tuple(ring)


def keyring() -> tuple[tuple[str, AESGCM], ...]:
    return _keyring(tuple(settings.GONGHUI_FIELD_KEYS))


def encrypt(plaintext: str, *, associated: bytes = b"") -> str:
    key_id, aead = keyring()[0]
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode("utf-8"), associated or None)
    return f"{PREFIX}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def sealer(*, associated: bytes = b"") -> Callable[[str], str]:
    """``encrypt`` for many values in a row (an import): the key is looked up once and the random
    nonces are drawn from the OS 1,024 at a time; each value still gets its own, used once, and the
    result is the same format."""
    key_id, aead = keyring()[0]
    head = f"{PREFIX}:{key_id}:"
    associated_data = associated or None
    pool, at = b"", 0

    def seal(plaintext: str) -> str:
        nonlocal pool, at
        if at == len(pool):
            pool, at = os.urandom(12 * 1024), 0
        nonce = pool[at:at + 12]
        at += 12
        sealed = nonce + aead.encrypt(nonce, plaintext.encode("utf-8"), associated_data)
        # base64.urlsafe_b64encode, without its two Python-level wrappers
        return head + binascii.b2a_base64(sealed, newline=False).translate(_URLSAFE).decode()

    return seal


def decrypt(token: str, *, associated: bytes = b"") -> str:
    prefix, key_id, body = token.split(":", 2)
    if prefix != PREFIX:
        raise ValueError("unknown ciphertext format")
    for candidate_id, aead in keyring():
        if candidate_id == key_id:
            raw = base64.urlsafe_b64decode(body)
            return aead.decrypt(raw[:12], raw[12:], associated or None).decode("utf-8")
    raise ValueError(f"no configured key {key_id} can decrypt this value")


def needs_rotation(token: str) -> bool:
    return token.split(":", 2)[1] != keyring()[0][0]


def blind_index(value: str, *, purpose: str) -> str:
    """Keyed hash (HMAC-SHA256) for exact look-up and uniqueness without the plaintext.

    ``purpose`` separates domains, so the hash of an ID number never equals that of a phone.
    """
    # hmac.digest: the same HMAC, computed in one call to OpenSSL.
    return hmac.digest(_hash_key(settings.GONGHUI_HASH_KEY), f"{purpose}\x00{value}".encode(), "sha256").hex()


def indexer(*, purpose: str) -> Callable[[str], str]:
    """``blind_index`` for many values of one purpose in a row (an import): the HMAC is keyed, and
    fed the purpose, once; each value continues a copy of that state."""
    keyed = hmac.new(_hash_key(settings.GONGHUI_HASH_KEY), f"{purpose}\x00".encode(), hashlib.sha256)

    def index(value: str) -> str:
        state = keyed.copy()
        state.update(value.encode())
        return state.hexdigest()

    return index


@lru_cache(maxsize=4)
def _hash_key(text: str) -> bytes:
    # Keyed by the setting's text, so a changed setting (tests, rotation) takes effect at once.
    problems = hash_key_problems(text)
    if problems:
        raise ImproperlyConfigured(problems[0])
    return _strict_b64(text)
