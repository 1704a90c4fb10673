"""Development and demo: SQLite under the data directory, local keys, SMS codes in the log."""

from .base import *  # noqa: F403
from .base import DATA_DIR, GONGHUI_FIELD_KEYS, GONGHUI_HASH_KEY, SECRET_KEY, env_list
from .keys import load_or_create_dev_keys

DEBUG = True
_keys = load_or_create_dev_keys(DATA_DIR)
SECRET_KEY = SECRET_KEY or _keys["DJANGO_SECRET_KEY"]
GONGHUI_FIELD_KEYS = GONGHUI_FIELD_KEYS or env_list("_", _keys["GONGHUI_FIELD_KEYS"])
GONGHUI_HASH_KEY = GONGHUI_HASH_KEY or _keys["GONGHUI_HASH_KEY"]
