"""Production: every secret from the environment; refuses to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import GONGHUI_FIELD_KEYS, GONGHUI_HASH_KEY, MIDDLEWARE, SECRET_KEY

DEBUG = False
# Static files straight from the app server (compressed, far-future cache headers).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
for _name, _value in [("DJANGO_SECRET_KEY", SECRET_KEY), ("GONGHUI_FIELD_KEYS", GONGHUI_FIELD_KEYS),
                      ("GONGHUI_HASH_KEY", GONGHUI_HASH_KEY)]:
    if not _value:
        raise ImproperlyConfigured(f"{_name} must be set in the environment")

SECURE_SSL_REDIRECT = os.environ.get("GONGHUI_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("GONGHUI_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
