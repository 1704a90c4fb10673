"""Test settings whose keys come from the environment when set: the backup tests start real
`restore` and `wsgi` processes with this instance's keys or another instance's."""

from gonghui.settings.base import env_list, env_str
from gonghui.settings.test import *  # noqa: F403
from gonghui.settings.test import GONGHUI_FIELD_KEYS, GONGHUI_HASH_KEY

GONGHUI_FIELD_KEYS = env_list("GONGHUI_FIELD_KEYS") or GONGHUI_FIELD_KEYS
GONGHUI_HASH_KEY = env_str("GONGHUI_HASH_KEY") or GONGHUI_HASH_KEY
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
