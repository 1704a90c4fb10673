"""Signed checkpoints of the append-only logs (``core.log``: the audit log, the aid and the funds
ledgers): tamper-evident against someone with full database access.

A row's keyed hash shows that it was changed, unless whoever changed it also holds the hash key
and recomputed it — which anyone with the application server can do. A checkpoint closes that
gap: the Merkle root (RFC 6962/9162, via ``pymerkle``) of one log's rows up to a ``seq`` (``size``
rows), signed with an Ed25519 key that is **not in the database** (``GONGHUI_AUDIT_SIGNING_KEY``).
A rewritten row changes the root of every checkpoint after it, and no new signature can be made
without the key; a deleted, inserted or truncated row changes the count under the checkpoint.

Each checkpoint is also appended to a file outside the database (``GONGHUI_AUDIT_CHECKPOINT_FILE``)
and printed by ``gonghui audit-checkpoint`` so it can be sent to a second system or printed in the
monthly work report: deleting the checkpoints table is then detected too, and not even the key
holder can rewrite history that someone else has already seen.

``make_checkpoint`` never signs over a log that no longer matches the previous checkpoint.
"""

import base64
import binascii
import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from pymerkle import InmemoryTree

from . import log as logs
from .models import AuditCheckpoint

STATEMENT = "gonghui-audit-checkpoint/v1"  # the audit log's checkpoints signed before the logs were one
STATEMENT_V2 = "gonghui-log-checkpoint/v2"  # any log's, since: the log's name and its last seq are signed too
AUDIT = "core.audit"


class CheckpointRefused(Exception):
    """The log no longer matches its last checkpoint: nothing is signed."""


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


def statement(size: int, root: str, signed_at, stream: str = AUDIT, upto: int | None = None) -> bytes:
    if upto is None:  # a checkpoint of the audit log's old chain (rows 1..size)
        return f"{STATEMENT}\n{size}\n{root}\n{signed_at.isoformat()}".encode()
    return f"{STATEMENT_V2}\n{stream}\n{size}\n{upto}\n{root}\n{signed_at.isoformat()}".encode()


def _statement_of(checkpoint: AuditCheckpoint) -> bytes:
    return statement(checkpoint.size, checkpoint.root, checkpoint.signed_at, checkpoint.stream, checkpoint.upto_seq)


def _upto(checkpoint) -> int:
    """The highest seq a checkpoint covers (an old one covers rows 1..size)."""
    return checkpoint.size if checkpoint.upto_seq is None else checkpoint.upto_seq


def _tree(digests: list[str], size: int | None = None) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")
    for digest in digests[:size] if size is not None else digests:
        tree.append_entry(bytes.fromhex(digest))
    return tree


def export_line(checkpoint: AuditCheckpoint) -> str:
    """The one line that carries a checkpoint to another system (and back, for verification)."""
    if checkpoint.upto_seq is None:
        return (f"{STATEMENT} size={checkpoint.size} root={checkpoint.root} "
                f"signed_at={checkpoint.signed_at.isoformat()} key={checkpoint.key_id} signature={checkpoint.signature}")
    return (f"{STATEMENT_V2} log={checkpoint.stream} size={checkpoint.size} upto={checkpoint.upto_seq} "
            f"root={checkpoint.root} signed_at={checkpoint.signed_at.isoformat()} key={checkpoint.key_id} "
            f"signature={checkpoint.signature}")


def _parse_line(line: str) -> dict | None:
    version = line.split(" ", 1)[0]
    if version not in (STATEMENT, STATEMENT_V2):
        return None
    parts = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
    try:
        copy = {"size": int(parts["size"]), "root": parts["root"], "signed_at": parse_datetime(parts["signed_at"]),
                "key": parts["key"], "signature": parts["signature"], "stream": AUDIT, "upto": None}
        if version == STATEMENT_V2:
            copy["stream"], copy["upto"] = parts["log"], int(parts["upto"])
    except (KeyError, ValueError):
        return None
    return copy if copy["signed_at"] is not None else None


def _append_to_file(checkpoint: AuditCheckpoint) -> None:
    path = Path(settings.GONGHUI_AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(export_line(checkpoint) + "\n")


def make_checkpoint(label: str = AUDIT, *, patience: float = 10.0) -> AuditCheckpoint | None:
    """The sequencer's step for one log: sign a checkpoint over every row up to the horizon (None
    when there is nothing new, or a writer is still running after ``patience`` seconds).

    Refuses (``CheckpointRefused``) when the rows no longer give the last checkpoint's count and
    root: a tampered log is never blessed with a fresh signature."""
    key = signing_key()
    model = logs.get(label).model
    upto = logs.horizon(model, patience=patience)
    if upto is None:
        return None
    with transaction.atomic():
        last = AuditCheckpoint.objects.filter(stream=label).order_by("-size").first()
        seqs, digests = [], []
        for seq, digest in logs.leaves(model, upto):
            seqs.append(seq)
            digests.append(digest)
        if not seqs:
            if last is not None:
                raise CheckpointRefused(_("The log %(log)s is empty but checkpoint %(size)d covers %(size)d rows. "
                                          "Run gonghui audit-verify.") % {"log": label, "size": last.size})
            return None
        tree = _tree(digests)
        if last is not None:
            count = logs.covered(seqs, _upto(last))
            if count != last.size or tree.get_root(last.size).hex() != last.root:
                raise CheckpointRefused(_("The log %(log)s no longer matches checkpoint %(size)d: rows up to it were "
                                          "changed, removed or added. Run gonghui audit-verify.")
                                        % {"log": label, "size": last.size})
            if _upto(last) >= seqs[-1]:
                return None  # nothing new (and what is there still matches)
        size = len(seqs)
        root = tree.get_root(size).hex()
        signed_at = timezone.now()
        checkpoint = AuditCheckpoint(stream=label, size=size, upto_seq=seqs[-1], root=root, signed_at=signed_at,
                                     key_id=key_id(key.public_key()))
        checkpoint.signature = key.sign(_statement_of(checkpoint)).hex()
        checkpoint.save(force_insert=True)
    _append_to_file(checkpoint)
    return checkpoint


def make_checkpoints(*, patience: float = 10.0) -> dict[str, AuditCheckpoint | None]:
    """``make_checkpoint`` for every registered log; a refusal of one log does not stop the others
    (it is raised after them)."""
    made, refused = {}, []
    for label in logs.logs():
        try:
            made[label] = make_checkpoint(label, patience=patience)
        except CheckpointRefused as exc:
            refused.append(str(exc))
    if refused:
        raise CheckpointRefused(" ".join(refused))
    return made


def _check_signature(keys, *, size, root, signed_at, kid, signature, stream, upto) -> str | None:
    public = keys.get(kid)
    if public is None:
        return _("checkpoint %(size)d: signed with an unknown key %(key)s") % {"size": size, "key": kid}
    try:
        public.verify(bytes.fromhex(signature), statement(size, root, signed_at, stream, upto))
    except (InvalidSignature, ValueError):
        return _("checkpoint %(size)d: the signature does not match (the checkpoint was forged or changed)") % {
            "size": size}
    return None


def check_log(result, seqs: list[int], digests: list[str], *, exported: list[str] | None = None) -> None:
    """Every checkpoint of ``result.label``: its signature, then the rows up to it (their count and
    Merkle root; each checkpoint is a prefix of the next); then the exported copies (the checkpoint
    file, or ``exported`` lines) against the database's. Fills ``result`` (a ``log.LogCheck``)."""
    label = result.label
    keys = verification_keys()
    tree = _tree(digests)
    stored = list(AuditCheckpoint.objects.filter(stream=label).order_by("size"))
    result.checkpoints = len(stored)
    for checkpoint in stored:
        problem = _check_signature(keys, size=checkpoint.size, root=checkpoint.root,
                                   signed_at=checkpoint.signed_at, kid=checkpoint.key_id,
                                   signature=checkpoint.signature, stream=checkpoint.stream, upto=checkpoint.upto_seq)
        if problem:
            result.problems.append(f"{label}: {problem}")
            continue
        count = logs.covered(seqs, _upto(checkpoint))
        if count < checkpoint.size:
            result.problems.append(_("%(log)s: checkpoint %(size)d covers %(size)d rows but the log has only "
                                     "%(rows)d up to it (rows removed: truncated or deleted)")
                                   % {"log": label, "size": checkpoint.size, "rows": count})
            continue
        if count > checkpoint.size:
            result.problems.append(_("%(log)s: checkpoint %(size)d covers %(size)d rows but the log has %(rows)d up "
                                     "to it (rows inserted into the signed past)")
                                   % {"log": label, "size": checkpoint.size, "rows": count})
            continue
        if tree.get_root(checkpoint.size).hex() != checkpoint.root:
            result.problems.append(_("%(log)s: rows up to %(size)d do not give the root signed in checkpoint "
                                     "%(size)d (rows changed and their hashes recomputed)")
                                   % {"log": label, "size": checkpoint.size})
            continue
        result.verified_upto, result.upto_seq, result.latest_at = checkpoint.size, _upto(checkpoint), \
            checkpoint.signed_at
    lines = exported
    if lines is None:
        path = Path(settings.GONGHUI_AUDIT_CHECKPOINT_FILE)
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    by_size = {c.size: c for c in stored}
    for line in lines:
        copy = _parse_line(line.strip())
        if copy is None or copy["stream"] != label:
            continue
        problem = _check_signature(keys, size=copy["size"], root=copy["root"], signed_at=copy["signed_at"],
                                   kid=copy["key"], signature=copy["signature"], stream=copy["stream"],
                                   upto=copy["upto"])
        if problem:
            result.problems.append(_("%(log)s: exported copy: %(problem)s") % {"log": label, "problem": problem})
            continue
        mine = by_size.get(copy["size"])
        if mine is None or mine.root != copy["root"]:
            result.problems.append(_("%(log)s: checkpoint %(size)d, signed %(at)s, is in the exported copies but not "
                                     "in the database (checkpoints removed or replaced)")
                                   % {"log": label, "size": copy["size"], "at": copy["signed_at"]})


def verify_checkpoints(*, exported: list[str] | None = None, label: str = AUDIT):
    """The checkpoints of one log (the audit log by default) against its rows' stored hashes; the
    rows' own hashes are ``core.log.verify_log``'s (or ``core.audit.verify_chain``'s) part."""
    return logs.verify_log(label, rows=False, exported=exported)
