"""Test settings: fast hashing, fixed throwaway keys; DATABASE_URL picks SQLite or PostgreSQL."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
# Two keys so that rotation is exercised: the second one only decrypts.
GONGHUI_FIELD_KEYS = [
    "dGVzdC1maWVsZC1rZXktMDEyMzQ1Njc4OWFiY2RlZjA=",
    "b2xkLXRlc3QtZmllbGQta2V5LTAxMjM0NTY3ODlhYmM=",
]
GONGHUI_HASH_KEY = "dGVzdC1oYXNoLWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE="
GONGHUI_QR_SIGNING_KEY = "test-only-qr-signing-key-0123456789abcdefghijklmnop"  # noqa: S105
# The audit checkpoints' Ed25519 signing key (a fixed 32-byte seed; tests sign with it).
GONGHUI_AUDIT_SIGNING_KEY = "dGVzdC1hdWRpdC1zaWduaW5nLWtleS0wMTIzNDU2Nzg="
GONGHUI_AUDIT_CHECKPOINT_FILE = Path(tempfile.gettempdir()) / f"gonghui-test-checkpoints-{os.getpid()}.txt"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"].pop("OPTIONS", None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
GONGHUI_SMS_BACKEND = "gonghui.accounts.sms.MemorySmsBackend"
GONGHUI_NOTIFIER = "gonghui.core.notify.MemoryNotifier"
# Messages go out as soon as their change commits (no worker process in tests); no quiet hours or
# daily cap unless a test sets them (tests/messaging).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
GONGHUI_MESSAGING_QUIET_HOURS = ""
GONGHUI_MESSAGING_DAILY_CAP = 0
# Other modules' worker tests sign in without the privacy notice; tests/privacy turn the gate on.
GONGHUI_PRIVACY_NOTICE_REQUIRED = False
GONGHUI_ALLOW_DEMO = True  # the demo command is exercised by tests/test_demo.py
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # pytest-django empties the tables of transactional tests with TRUNCATE, which the audit log's
    # triggers refuse everywhere else (core migration 0004); only test connections may.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (_options.get("options", "") + " -c gonghui.maintenance=truncate-allowed").strip()
