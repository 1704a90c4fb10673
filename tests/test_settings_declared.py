"""Every setting declared once in settings/base.py, read from the environment, documented in
docs/deployment.md (generated); production refuses what would harm a real county."""

import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import settings_table  # noqa: E402


def test_the_deployment_guide_lists_every_setting_as_the_code_declares_it():
    doc = settings_table.DOC.read_text(encoding="utf-8")
    assert settings_table.render(doc) == doc, "run python3 tools/settings_table.py"


def test_no_setting_is_read_with_a_default_scattered_in_code():
    offenders = []
    for path in (ROOT / "gonghui").rglob("*.py"):
        if "settings" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r'getattr\(\s*settings\s*,\s*"GONGHUI_', text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"declare these settings in settings/base.py instead: {offenders}"


def test_every_gonghui_setting_used_in_code_is_declared_from_the_environment():
    base = (ROOT / "gonghui" / "settings" / "base.py").read_text(encoding="utf-8")
    declared_from_env = set(re.findall(r'^(GONGHUI_[A-Z0-9_]+) = .*env_(?:str|int|bool|list)\("\1"', base, re.M))
    used = set()
    for path in (ROOT / "gonghui").rglob("*.py"):
        if "settings" not in path.parts and "migrations" not in path.parts:
            used |= set(re.findall(r"settings\.(GONGHUI_[A-Z0-9_]+)", path.read_text(encoding="utf-8")))
    # Settings computed from others (not read directly) are declared but derive their value.
    derived = {name for name in used if re.search(rf"^{name} = ", base, re.M)} - declared_from_env
    missing = sorted(used - declared_from_env - derived)
    assert not missing, f"used in code but not declared in settings/base.py: {missing}"


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "gonghui.settings.production", "DJANGO_SECRET_KEY": "x" * 50,
    "GONGHUI_FIELD_KEYS": _key(), "GONGHUI_HASH_KEY": _key(), "GONGHUI_QR_SIGNING_KEY": _key(),
    "GONGHUI_AUDIT_SIGNING_KEY": _key(),
    "REDIS_URL": "redis://127.0.0.1:6379/15", "GONGHUI_PUBLIC_BASE_URL": "https://gonghui.example.cn",
    "GONGHUI_SMS_BACKEND": "some.provider.Backend", "GONGHUI_NOTIFIER": "some.provider.Notifier",
}


def _load_production(**changes):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DJANGO_", "REDIS_URL"))}
    env.update(PRODUCTION)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],  # noqa: S603
                          env=env, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_production_settings_load_when_everything_is_set():
    result = _load_production()
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("changes, named", [
    ({"GONGHUI_SMS_BACKEND": None}, "GONGHUI_SMS_BACKEND"),
    ({"GONGHUI_NOTIFIER": "gonghui.core.notify.LogNotifier"}, "GONGHUI_NOTIFIER"),
    ({"GONGHUI_PUBLIC_BASE_URL": None}, "GONGHUI_PUBLIC_BASE_URL"),
    ({"GONGHUI_PUBLIC_BASE_URL": "http://127.0.0.1:8000"}, "GONGHUI_PUBLIC_BASE_URL"),
    ({"REDIS_URL": None}, "REDIS_URL"),
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
    ({"GONGHUI_AUDIT_SIGNING_KEY": None}, "GONGHUI_AUDIT_SIGNING_KEY"),
    ({"GONGHUI_AUDIT_SIGNING_KEY": "bm90LTMyLWJ5dGVz"}, "GONGHUI_AUDIT_SIGNING_KEY"),
    ({"GONGHUI_SSL_REDIRECT": "maybe"}, "GONGHUI_SSL_REDIRECT"),
])
def test_production_refuses_with_the_setting_named(changes, named):
    result = _load_production(**changes)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr.strip().splitlines()[-1]
