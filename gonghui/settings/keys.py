"""Local keys for development: generated once into the data directory, never committed."""

import base64
import os
import secrets
from pathlib import Path


def split_keys(text: str) -> list[str]:
    """A comma-separated list of keys (newest first) as a list, blanks dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]


def load_or_create_dev_keys(data_dir: Path) -> dict[str, str]:
    """Return secret key, field key, hash key and QR signing key, creating them on the first run."""
    path = data_dir / "dev-keys.env"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        values = {
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "GONGHUI_FIELD_KEYS": base64.b64encode(os.urandom(32)).decode(),
            "GONGHUI_HASH_KEY": base64.b64encode(os.urandom(32)).decode(),
            "GONGHUI_QR_SIGNING_KEY": secrets.token_urlsafe(50),
        }
        path.write_text("".join(f"{k}={v}\n" for k, v in values.items()))
        path.chmod(0o600)
    keys = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    if "GONGHUI_QR_SIGNING_KEY" not in keys and "DJANGO_SECRET_KEY" in keys:
        # A key file from before QR codes had their own key: they were signed with the secret key,
        # so that value carries on and the certificates already printed keep verifying.
        keys["GONGHUI_QR_SIGNING_KEY"] = keys["DJANGO_SECRET_KEY"]
        with path.open("a") as out:
            out.write(f"GONGHUI_QR_SIGNING_KEY={keys['GONGHUI_QR_SIGNING_KEY']}\n")
    if "GONGHUI_AUDIT_SIGNING_KEY" not in keys:
        # A key file from before the audit log had signed checkpoints.
        keys["GONGHUI_AUDIT_SIGNING_KEY"] = base64.b64encode(os.urandom(32)).decode()
        with path.open("a") as out:
            out.write(f"GONGHUI_AUDIT_SIGNING_KEY={keys['GONGHUI_AUDIT_SIGNING_KEY']}\n")
    return keys
