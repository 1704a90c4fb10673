"""The registration offices' signing keys: where they are configured, a development key pair, PDF
signatures (PAdES, via pyHanko) and their validation.

Keys come from configuration, never from the repository: ``GONGHUI_REGISTRATION_KEY_DIR``
(default ``<DATA_DIR>/keys/registration``) holds ``<office node code>.key.pem`` and
``<office node code>.cert.pem`` for every office. There is no shared key: an office without its
own pair cannot issue. A retired certificate of an office stays in the directory as
``<office node code>.<anything>.cert.pem`` (its key removed), so the certificates it signed still
verify. ``GONGHUI_REGISTRATION_KEY_PASSPHRASE`` unlocks encrypted keys. Every certificate in the
directory is a trust root when an uploaded PDF is checked, and the signer must be one of the
certificates of the office that issued the document (``office_fingerprints``).
"""

import datetime
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError


def key_dir() -> Path:
    return Path(settings.GONGHUI_REGISTRATION_KEY_DIR)


def _pair(name: str) -> tuple[Path, Path]:
    return key_dir() / f"{name}.key.pem", key_dir() / f"{name}.cert.pem"


def key_files(office_code: str) -> tuple[Path, Path]:
    """The office's own key and certificate; refused when the office has none (no shared fallback)."""
    if office_code:
        key, cert = _pair(office_code)
        if key.exists() and cert.exists():
            return key, cert
    raise DomainError("no_signing_key", _("Registration office %(office)s has no signing key and certificate of "
                                          "its own (expected %(office)s.key.pem and %(office)s.cert.pem in "
                                          "%(dir)s), so it cannot issue certificates. For a development key run "
                                          "“gonghui registration-keys --office %(office)s”.")
                      % {"office": office_code or "?", "dir": key_dir()})


def _fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def office_fingerprints(office_code: str) -> set[str]:
    """SHA-256 fingerprints of the office's certificates: the current one and any retired ones."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    folder = key_dir()
    if not office_code or not folder.exists():
        return set()
    paths = [folder / f"{office_code}.cert.pem", *folder.glob(f"{office_code}.*.cert.pem")]
    found = set()
    for path in paths:
        if path.is_file():
            try:
                found.add(_fingerprint(x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(Encoding.DER)))
            except ValueError:
                continue
    return found


def has_key(office_code: str) -> bool:
    try:
        key_files(office_code)
    except DomainError:
        return False
    return True


def create_dev_keys(*, name: str, common_name: str = "gonghui registration office (development)",
                    overwrite: bool = False) -> tuple[Path, Path]:
    """An ECDSA P-256 key and a self-signed certificate for the office whose node code is ``name``,
    for development and tests. Not for production."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key_path, cert_path = _pair(name)
    if key_path.exists() and cert_path.exists() and not overwrite:
        return key_path, cert_path
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "gonghui"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def sign_pdf(pdf: bytes, *, office_code: str, signer_name: str, reason: str, location: str) -> bytes:
    """A PAdES signature over the whole document (a PDF reader shows it signed and unchanged)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    key_path, cert_path = key_files(office_code)
    passphrase = settings.GONGHUI_REGISTRATION_KEY_PASSPHRASE
    signer = signers.SimpleSigner.load(str(key_path), str(cert_path),
                                       key_passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise DomainError("bad_signing_key", _("The registration office's signing key cannot be read."))
    meta = signers.PdfSignatureMetadata(field_name="OfficeSeal", subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", name=signer_name, reason=reason, location=location)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


def trusted_certificates() -> list:
    from pyhanko.keys import load_cert_from_pemder

    folder = key_dir()
    return [load_cert_from_pemder(str(p)) for p in sorted(folder.glob("*.cert.pem"))] if folder.exists() else []


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool          # the file carries a signature at all
    intact: bool          # the signed bytes are unchanged
    trusted: bool         # signed by a configured registration office key
    whole_file: bool      # the signature covers the whole file (nothing added after signing)
    signer: str = ""
    signed_at: datetime.datetime | None = None
    problem: str = ""
    signer_sha256: str = ""  # fingerprint of the signer's certificate, to match it to its office

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def check_pdf(data: bytes) -> SignatureCheck:
    """Validate the first signature of ``data`` against the offices' certificates; never raises."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 - any parse failure means a damaged file, reported as such
        return SignatureCheck(False, False, False, False, problem=_("The file is damaged or not a PDF document."))
    if not signatures:
        return SignatureCheck(False, False, False, False, problem=_("The document carries no digital signature."))
    embedded = signatures[0]
    try:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=trusted_certificates(),
                                                                    allow_fetching=False))
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        return SignatureCheck(True, False, False, False, problem=_("The signature cannot be checked: %(e)s")
                              % {"e": exc.__class__.__name__})
    except Exception:  # noqa: BLE001 - a mangled signature structure is a failed check, not a crash
        return SignatureCheck(True, False, False, False, problem=_("The signature is damaged."))
    subject = status.signing_cert.subject.human_friendly if status.signing_cert is not None else ""
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problem = ""
    if not status.intact:
        problem = _("The document was changed after it was signed.")
    elif not status.trusted:
        problem = _("The signature is not from a registration office of this platform.")
    elif not whole:
        problem = _("Content was added to the document after it was signed.")
    fingerprint = _fingerprint(status.signing_cert.dump()) if status.signing_cert is not None else ""
    return SignatureCheck(True, bool(status.intact and status.valid), bool(status.trusted), whole, subject,
                          status.signer_reported_dt, problem, fingerprint)
