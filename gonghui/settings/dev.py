"""Development and demo: SQLite under the data directory, local keys, SMS codes in the log.

Keys come from the environment when set there, else from ``<data dir>/dev-keys.env`` (created on
the first run). Only the project's own variable names are read — never a shell variable such as
``_`` (the path of the last command, which every bash and zsh sets).
"""

from .base import *  # noqa: F403
from .base import (
    DATA_DIR,
    GONGHUI_AUDIT_SIGNING_KEY,
    GONGHUI_FIELD_KEYS,
    GONGHUI_HASH_KEY,
    GONGHUI_QR_SIGNING_KEY,
    SECRET_KEY,
)
from .keys import load_or_create_dev_keys, split_keys

DEBUG = True
_keys = load_or_create_dev_keys(DATA_DIR)
SECRET_KEY = SECRET_KEY or _keys["DJANGO_SECRET_KEY"]
GONGHUI_FIELD_KEYS = GONGHUI_FIELD_KEYS or split_keys(_keys["GONGHUI_FIELD_KEYS"])
GONGHUI_HASH_KEY = GONGHUI_HASH_KEY or _keys["GONGHUI_HASH_KEY"]
GONGHUI_QR_SIGNING_KEY = GONGHUI_QR_SIGNING_KEY or _keys["GONGHUI_QR_SIGNING_KEY"]
GONGHUI_AUDIT_SIGNING_KEY = GONGHUI_AUDIT_SIGNING_KEY or _keys["GONGHUI_AUDIT_SIGNING_KEY"]
