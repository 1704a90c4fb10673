"""The registration office's signing key: where it is configured, a development key pair, PDF
signatures (PAdES, via pyHanko) and their validation.

Keys come from configuration, never from the repository: ``GONGHUI_REGISTRATION_KEY_DIR``
(default ``<DATA_DIR>/keys/registration``) holds ``<office node code>.key.pem`` and
``<office node code>.cert.pem`` for an office with its own seal, else ``default.key.pem`` and
``default.cert.pem``. ``GONGHUI_REGISTRATION_KEY_PASSPHRASE`` unlocks encrypted keys. Every
certificate in the directory is trusted when an uploaded PDF is checked.
"""

import datetime
import io
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from gonghui.core.errors import DomainError


def key_dir() -> Path:
    default = Path(settings.DATA_DIR) / "keys" / "registration"
    return Path(getattr(settings, "GONGHUI_REGISTRATION_KEY_DIR", default))


def _pair(name: str) -> tuple[Path, Path]:
    return key_dir() / f"{name}.key.pem", key_dir() / f"{name}.cert.pem"


def key_files(office_code: str = "") -> tuple[Path, Path]:
    """The office's own key if configured, else the default one; refused when neither exists."""
    for name in ([office_code] if office_code else []) + ["default"]:
        key, cert = _pair(name)
        if key.exists() and cert.exists():
            return key, cert
    raise DomainError("no_signing_key", _("The registration office's signing key is not configured (expected in "
                                          "%(dir)s); run “gonghui registration-keys” for a development key.")
                      % {"dir": key_dir()})


def has_key(office_code: str = "") -> bool:
    try:
        key_files(office_code)
    except DomainError:
        return False
    return True


def create_dev_keys(*, common_name: str = "gonghui registration office (development)", name: str = "default",
                    overwrite: bool = False) -> tuple[Path, Path]:
    """An RSA key and a self-signed certificate for development and tests. Not for production."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key_path, cert_path = _pair(name)
    if key_path.exists() and cert_path.exists() and not overwrite:
        return key_path, cert_path
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
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
    passphrase = getattr(settings, "GONGHUI_REGISTRATION_KEY_PASSPHRASE", None)
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
    return SignatureCheck(True, bool(status.intact and status.valid), bool(status.trusted), whole, subject,
                          status.signer_reported_dt, problem)
