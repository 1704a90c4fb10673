"""Signed checkpoints of the audit log: tamper-evident against someone with full database access.

The hash chain of ``core.audit`` shows that a row was changed, unless whoever changed it also
recomputed every later hash — which anyone with database access can do. A checkpoint closes that
gap: the Merkle root (RFC 6962/9162, via ``pymerkle``) of the first ``size`` rows' hashes, signed
with an Ed25519 key that is **not in the database** (``GONGHUI_AUDIT_SIGNING_KEY``). A rewritten row
or a recomputed chain changes the root of every checkpoint after it, and no new signature can be
made without the key; a truncated table has fewer rows than its checkpoints say.

Each checkpoint is also appended to a file outside the database (``GONGHUI_AUDIT_CHECKPOINT_FILE``)
and printed by ``gonghui audit-checkpoint`` so it can be sent to a second system or printed in the
monthly work report: deleting the checkpoints table is then detected too, and not even the key
holder can rewrite history that someone else has already seen.

``make_checkpoint`` never signs over a log that no longer matches the previous checkpoint.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from pymerkle import InmemoryTree

from .models import AuditCheckpoint, AuditEntry

STATEMENT = "gonghui-audit-checkpoint/v1"


class CheckpointRefused(Exception):
    """The log no longer matches its last checkpoint (or has gaps): nothing is signed."""


def _decode(name: str, text: str, length: int) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} is not base64") from None
    if len(raw) != length:
        raise ImproperlyConfigured(f"{name} must be {length} bytes (base64), not {len(raw)}")
    return raw


def signing_key() -> Ed25519PrivateKey:
    if not settings.GONGHUI_AUDIT_SIGNING_KEY:
        raise ImproperlyConfigured("GONGHUI_AUDIT_SIGNING_KEY is not set: audit checkpoints cannot be signed")
    return Ed25519PrivateKey.from_private_bytes(
        _decode("GONGHUI_AUDIT_SIGNING_KEY", settings.GONGHUI_AUDIT_SIGNING_KEY, 32))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


def public_key_text() -> str:
    """The current signing key's public half (base64), to hand to whoever keeps the exported copies."""
    return base64.b64encode(_raw_public(signing_key().public_key())).decode()


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """The public keys checkpoints may be signed with: the current key's, and retired ones
    (``GONGHUI_AUDIT_VERIFY_KEYS``, base64 public keys) so that rotating the key keeps history valid."""
    keys = {}
    if settings.GONGHUI_AUDIT_SIGNING_KEY:
        public = signing_key().public_key()
        keys[key_id(public)] = public
    for text in settings.GONGHUI_AUDIT_VERIFY_KEYS:
        public = Ed25519PublicKey.from_public_bytes(_decode("GONGHUI_AUDIT_VERIFY_KEYS", text, 32))
        keys[key_id(public)] = public
    return keys


def statement(size: int, root: str, signed_at) -> bytes:
    return f"{STATEMENT}\n{size}\n{root}\n{signed_at.isoformat()}".encode()


def _tree(upto: int | None = None) -> tuple[InmemoryTree, list[str]]:
    """The Merkle tree of the rows' stored hashes in order (up to ``upto``), and any gaps found."""
    tree, gaps, expected = InmemoryTree(algorithm="sha256"), [], 1
    rows = AuditEntry.objects.order_by("seq").values_list("seq", "hash")
    if upto is not None:
        rows = rows.filter(seq__lte=upto)
    for seq, digest in rows.iterator(chunk_size=5000):
        if seq != expected:
            gaps.append(_("rows %(first)d–%(last)d are missing") % {"first": expected, "last": seq - 1})
        tree.append_entry(bytes.fromhex(digest))
        expected = seq + 1
    return tree, gaps


def _line(checkpoint: AuditCheckpoint) -> str:
    return (f"{STATEMENT} size={checkpoint.size} root={checkpoint.root} signed_at={checkpoint.signed_at.isoformat()} "
            f"key={checkpoint.key_id} signature={checkpoint.signature}")


def export_line(checkpoint: AuditCheckpoint) -> str:
    """The one line that carries a checkpoint to another system (and back, for verification)."""
    return _line(checkpoint)


def _parse_line(line: str) -> dict | None:
    if not line.startswith(STATEMENT + " "):
        return None
    parts = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
    try:
        return {"size": int(parts["size"]), "root": parts["root"], "signed_at": parse_datetime(parts["signed_at"]),
                "key": parts["key"], "signature": parts["signature"]}
    except (KeyError, ValueError):
        return None


def make_checkpoint() -> AuditCheckpoint | None:
    """Sign a checkpoint over every row written so far (None when there is nothing new).

    Refuses (``CheckpointRefused``) when the rows no longer give the last checkpoint's root, or have
    gaps: a tampered log is never blessed with a fresh signature."""
    key = signing_key()
    with transaction.atomic():
        last = AuditCheckpoint.objects.order_by("-size").first()
        size = AuditEntry.objects.aggregate(top=Max("seq"))["top"] or 0
        if size == 0:
            return None
        tree, gaps = _tree(size)
        if gaps:
            raise CheckpointRefused(_("The audit log has gaps (%(gaps)s): run gonghui audit-verify.")
                                    % {"gaps": "; ".join(gaps)})
        if last is not None and tree.get_root(last.size).hex() != last.root:
            raise CheckpointRefused(_("The audit log no longer matches checkpoint %(size)d: rows up to it were "
                                      "changed. Run gonghui audit-verify.") % {"size": last.size})
        if last is not None and last.size >= size:
            return None  # nothing new (and what is there still matches)
        root = tree.get_root(size).hex()
        signed_at = timezone.now()
        checkpoint = AuditCheckpoint.objects.create(
            size=size, root=root, signed_at=signed_at, key_id=key_id(key.public_key()),
            signature=key.sign(statement(size, root, signed_at)).hex())
    path = Path(settings.GONGHUI_AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(_line(checkpoint) + "\n")
    return checkpoint


@dataclass
class CheckpointResult:
    rows: int = 0
    verified_upto: int = 0
    latest_at: object = None
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def pending(self) -> int:
        """Rows written since the latest checkpoint (not yet covered by a signature)."""
        return max(self.rows - self.verified_upto, 0)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_signature(keys, size, root, signed_at, kid, signature) -> str | None:
    public = keys.get(kid)
    if public is None:
        return _("checkpoint %(size)d: signed with an unknown key %(key)s") % {"size": size, "key": kid}
    try:
        public.verify(bytes.fromhex(signature), statement(size, root, signed_at))
    except (InvalidSignature, ValueError):
        return _("checkpoint %(size)d: the signature does not match (the checkpoint was forged or changed)") % {
            "size": size}
    return None


def verify_checkpoints(*, exported: list[str] | None = None) -> CheckpointResult:
    """Every checkpoint's signature, every row up to the latest one against its root (each
    checkpoint also against the previous: each is a prefix of the next), and the exported copies
    (the checkpoint file, or ``exported`` lines) against the database's."""
    result = CheckpointResult()
    keys = verification_keys()
    tree, gaps = _tree()
    result.rows = tree.get_size()
    stored = list(AuditCheckpoint.objects.order_by("size"))
    result.checkpoints = len(stored)
    for checkpoint in stored:
        problem = _check_signature(keys, checkpoint.size, checkpoint.root, checkpoint.signed_at, checkpoint.key_id,
                                   checkpoint.signature)
        if problem:
            result.problems.append(problem)
            continue
        if checkpoint.size > result.rows:
            result.problems.append(_("checkpoint %(size)d covers %(size)d rows but the log has only %(rows)d "
                                     "(rows removed: truncated or deleted)") % {"size": checkpoint.size,
                                                                                 "rows": result.rows})
            continue
        if tree.get_root(checkpoint.size).hex() != checkpoint.root:
            result.problems.append(_("rows up to %(size)d do not give the root signed in checkpoint %(size)d "
                                     "(rows changed and the chain recomputed)") % {"size": checkpoint.size})
            continue
        result.verified_upto, result.latest_at = checkpoint.size, checkpoint.signed_at
    if gaps and not result.problems:
        result.problems.extend(gaps)
    lines = exported
    if lines is None:
        path = Path(settings.GONGHUI_AUDIT_CHECKPOINT_FILE)
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    by_size = {c.size: c for c in stored}
    for line in lines:
        copy = _parse_line(line.strip())
        if copy is None:
            continue
        problem = _check_signature(keys, copy["size"], copy["root"], copy["signed_at"], copy["key"], copy["signature"])
        if problem:
            result.problems.append(_("exported copy: %(problem)s") % {"problem": problem})
            continue
        mine = by_size.get(copy["size"])
        if mine is None or mine.root != copy["root"]:
            result.problems.append(_("checkpoint %(size)d, signed %(at)s, is in the exported copies but not in the "
                                     "database (checkpoints removed or replaced)")
                                   % {"size": copy["size"], "at": copy["signed_at"]})
        elif copy["size"] > result.rows:
            continue  # already reported above
    return result
