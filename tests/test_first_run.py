"""The first run as a newcomer makes it: development settings read in a real shell's environment,
and no key file ever tracked in git."""

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

READ_KEYS = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'field': settings.GONGHUI_FIELD_KEYS, 'hash': settings.GONGHUI_HASH_KEY, "
    "'secret': bool(settings.SECRET_KEY)}))"
)


def _dev_settings(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DJANGO_", "DATABASE_URL"))}
    # What bash and zsh export to every command they run: `_` is the path of that command.
    env.update({"_": "/usr/local/bin/gonghui", "GONGHUI_DATA_DIR": str(data_dir),
                "DJANGO_SETTINGS_MODULE": "gonghui.settings.dev", **extra})
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {READ_KEYS}"],  # noqa: S603
                         env=env, cwd=data_dir.parent, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_dev_keys_come_from_the_key_file_not_from_the_shell(tmp_path):
    data = tmp_path / "data"
    keys = _dev_settings(data)
    written = dict(line.split("=", 1) for line in (data / "dev-keys.env").read_text().splitlines())
    assert keys["field"] == [written["GONGHUI_FIELD_KEYS"]]
    assert len(base64.b64decode(keys["field"][0], validate=True)) == 32
    assert keys["hash"] == written["GONGHUI_HASH_KEY"] and keys["secret"]
    # A second start reads the same keys (the data stays readable).
    assert _dev_settings(data) == keys


def test_keys_from_the_environment_win_and_are_split_newest_first(tmp_path):
    new, old = (base64.b64encode(bytes([n]) * 32).decode() for n in (1, 2))
    keys = _dev_settings(tmp_path / "data", GONGHUI_FIELD_KEYS=f"{new}, {old}")
    assert keys["field"] == [new, old]


def test_no_key_file_is_tracked_in_git():
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout (an unpacked release): nothing is tracked to check")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,  # noqa: S603,S607
                             check=True).stdout.decode().split("\0")
    suspicious = [path for path in tracked if path and (
        path.endswith((".env", ".pem", ".key", ".p12", ".pfx")) or "dev-keys" in path
        or path.split("/")[0] == "data" or path.startswith("gonghui/data/"))]
    assert not suspicious, f"key or data files tracked in git: {suspicious}"
    secrets_in_text = []
    for path in tracked:
        if path.endswith((".py", ".md", ".toml", ".cfg", ".conf", ".txt", ".sh", ".yml", ".yaml")) or path == ".ci/run":
            text = (ROOT / path).read_text(encoding="utf-8", errors="ignore")
            if "-----BEGIN" in text and "PRIVATE KEY-----" in text and "tests/" not in path:
                secrets_in_text.append(path)
    assert not secrets_in_text, f"private keys written into tracked files: {secrets_in_text}"
