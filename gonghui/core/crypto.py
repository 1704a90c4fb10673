"""Encryption at rest for personal data and the keyed hash used to look it up.

Ciphertext format: ``v1:<key id>:<base64url(nonce || ciphertext+tag)>``. The key id is the first
8 hex digits of SHA-256 of the key, so a value always names the key that sealed it. The first
configured key encrypts; every configured key decrypts, which is how keys rotate: put the new key
first, run ``gonghui rotate-keys``, then drop the old key.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"


def _decode_key(text: str) -> bytes:
    key = base64.b64decode(text)
    if len(key) != 32:
        raise ImproperlyConfigured("field encryption keys must be 32 bytes, base64-encoded")
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
    return hmac.new(_hash_key(settings.GONGHUI_HASH_KEY), f"{purpose}\x00{value}".encode(),
                    hashlib.sha256).hexdigest()


@lru_cache(maxsize=4)
def _hash_key(text: str) -> bytes:
    # Keyed by the setting's text, so a changed setting (tests, rotation) takes effect at once.
    return base64.b64decode(text)
