"""Production: every secret from the environment; refuses to start without them."""

import base64
import binascii
import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CACHES,
    GONGHUI_AUDIT_SIGNING_KEY,
    GONGHUI_FIELD_KEYS,
    GONGHUI_HASH_KEY,
    GONGHUI_HSTS_SECONDS,
    GONGHUI_NOTIFIER,
    GONGHUI_PUBLIC_BASE_URL,
    GONGHUI_QR_SIGNING_KEY,
    GONGHUI_S3_BUCKET,
    GONGHUI_SMS_BACKEND,
    GONGHUI_SSL_REDIRECT,
    GONGHUI_STORAGE,
    LOGGING,
    MIDDLEWARE,
    SECRET_KEY,
    STORAGES,
    env_bool,
    env_str,
)

DEBUG = False
DEVELOPMENT_BACKENDS = {"gonghui.accounts.sms.LogSmsBackend", "gonghui.accounts.sms.MemorySmsBackend",
                        "gonghui.core.notify.LogNotifier", "gonghui.core.notify.MemoryNotifier"}
# Static files straight from the app server (compressed, far-future cache headers).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
# Rate limits and lockouts count across every worker process only in a shared cache: per-process
# memory would give each gunicorn worker its own allowance (and forget it on restart).
if any(cache["BACKEND"].endswith("LocMemCache") for cache in CACHES.values()):
    raise ImproperlyConfigured("REDIS_URL must be set in the environment (e.g. redis://127.0.0.1:6379/0): "
                               "rate limits need a cache shared by every process, not per-process memory")
for _name, _value in [("DJANGO_SECRET_KEY", SECRET_KEY), ("GONGHUI_FIELD_KEYS", GONGHUI_FIELD_KEYS),
                      ("GONGHUI_HASH_KEY", GONGHUI_HASH_KEY), ("GONGHUI_QR_SIGNING_KEY", GONGHUI_QR_SIGNING_KEY),
                      ("GONGHUI_AUDIT_SIGNING_KEY", GONGHUI_AUDIT_SIGNING_KEY)]:
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set in the environment")
# The audit checkpoints' signing key: an Ed25519 seed, base64 of exactly 32 bytes.
try:
    _seed = base64.b64decode(GONGHUI_AUDIT_SIGNING_KEY, validate=True)
except (binascii.Error, ValueError):
    _seed = b""
if len(_seed) != 32:
    raise ImproperlyConfigured("GONGHUI_AUDIT_SIGNING_KEY must be base64 of 32 random bytes (docs/deployment.md)")

# Messages must reach people: the development backends only write to the log. (A benchmark or a
# throw-away staging copy may say GONGHUI_ALLOW_DEVELOPMENT_BACKENDS=1; a county's server never does.)
for _name, _value in [("GONGHUI_SMS_BACKEND", GONGHUI_SMS_BACKEND), ("GONGHUI_NOTIFIER", GONGHUI_NOTIFIER)]:
    if _value in DEVELOPMENT_BACKENDS and not env_bool("GONGHUI_ALLOW_DEVELOPMENT_BACKENDS", False):
        raise ImproperlyConfigured(f"{_name} is a development backend ({_value}), which only writes to the log: "
                                   "set a real provider's backend in the environment (docs/deployment.md)")
# Printed certificates' QR codes and links carry the public address: never 127.0.0.1.
if not os.environ.get("GONGHUI_PUBLIC_BASE_URL", "").startswith(("https://", "http://")) \
        or "127.0.0.1" in GONGHUI_PUBLIC_BASE_URL or "localhost" in GONGHUI_PUBLIC_BASE_URL:
    raise ImproperlyConfigured("GONGHUI_PUBLIC_BASE_URL must be set in the environment to the address workers "
                               "reach the site at (e.g. https://gonghui.example.gov.cn)")

SECURE_SSL_REDIRECT = GONGHUI_SSL_REDIRECT
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The monitoring probe may ask over plain HTTP on the loopback (docs/operations.md).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = GONGHUI_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
if GONGHUI_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(f"GONGHUI_STORAGE must be local or s3, not {GONGHUI_STORAGE!r}")
if GONGHUI_STORAGE == "s3" and not GONGHUI_S3_BUCKET:
    raise ImproperlyConfigured("GONGHUI_S3_BUCKET must be set in the environment when GONGHUI_STORAGE=s3")
# Uploads where base settings put them (GONGHUI_STORAGE: local folder or object store); static files by whitenoise.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Structured logs for the service manager: one JSON object a line, each with its request id.
LOGGING["handlers"]["console"]["formatter"] = env_str("GONGHUI_LOG_FORMAT", "json")
