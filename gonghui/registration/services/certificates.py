"""Signed certificates and their verification.

A certificate is a PDF signed with the registration office's own key (PAdES). Its QR code carries
a ``django.core.signing`` token naming the certificate and an expiry date, signed with
``GONGHUI_QR_SIGNING_KEY`` (never the session secret, so rotating that leaves printed codes
valid); the public page reads the token and answers from the register: valid, superseded (a later
change, renewal or reissue), expired, or cancelled. The token proves the QR was made here; the PDF
signature proves the file, and its signer must be the issuing office.
"""

import dataclasses
import datetime
import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.permissions import require
from gonghui.core import printed
from gonghui.core.audit import audit
from gonghui.core.errors import DomainError
from gonghui.core.scoping import scopes_disabled
from gonghui.core.text import clean_name
from gonghui.core.uploads import PDF, check_upload, store

from .. import pdf, selectors
from .. import signing as office_signing
from ..models import Certificate, Kind, Registration

log = logging.getLogger(__name__)

TOKEN_SALT = "gonghui.registration.certificate"  # noqa: S105 - a salt, not a secret
# The QR stays readable for a while after the validity ends, to tell "expired" rather than "unknown".
TOKEN_GRACE_DAYS = 366


def make_token(*, certificate: Certificate, expires: datetime.date | None = None) -> str:
    expires = expires or certificate.valid_until + datetime.timedelta(days=TOKEN_GRACE_DAYS)
    return printed.dumps({"c": certificate.pk, "x": expires.isoformat()}, salt=TOKEN_SALT, compress=True)


def read_token(*, token: str) -> Certificate:
    """The certificate a QR token names; DomainError for a forged, mangled or expired token."""
    try:
        payload = printed.loads(token, salt=TOKEN_SALT)
        expires = datetime.date.fromisoformat(payload["x"])
        pk = int(payload["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DomainError("forged_token", _("This code was not issued by the registration office: the certificate "
                                            "cannot be confirmed.")) from None
    if expires < timezone.localdate():
        raise DomainError("expired_token", _("This verification code has expired."))
    with scopes_disabled():
        certificate = Certificate.objects.select_related("registration__office").filter(pk=pk).first()
    if certificate is None:
        raise DomainError("forged_token", _("This code was not issued by the registration office: the certificate "
                                            "cannot be confirmed."))
    return certificate


def verify_path(*, certificate: Certificate) -> str:
    return reverse("registration:verify_token", args=[make_token(certificate=certificate)])


def make_verify_url(*, certificate: Certificate, base_url: str = "") -> str:
    """The full address printed in the QR code: ``base_url`` (the request's) or GONGHUI_PUBLIC_BASE_URL."""
    base = base_url.rstrip("/") or settings.GONGHUI_PUBLIC_BASE_URL.rstrip("/")
    return base + verify_path(certificate=certificate)


def _issuer_of(office) -> str:
    """The issuing authority printed and signed: the office union's own name, never typed in."""
    return clean_name(office.node.name)


def _serial(registration: Registration, today: datetime.date) -> str:
    prefix = f"{today.year}{registration.office_id:03d}"
    with scopes_disabled():
        last = (Certificate.objects.filter(serial__startswith=prefix).order_by("-serial")
                .values_list("serial", flat=True).first())
    return f"{prefix}{int(last[len(prefix):]) + 1 if last else 1:05d}"


@transaction.atomic
def issue_certificate(*, actor, registration: Registration, reason: str = Kind.ESTABLISH,
                      base_url: str = "") -> Certificate:
    """Render, sign and store the certificate of the registration's current version.

    The font and the office's key are checked before anything is written, so a missing one is a
    clear refusal and never a half-issued certificate.
    """
    with scopes_disabled():
        registration = Registration.objects.select_for_update(of=("self",)).select_related(
            "office__node").get(pk=registration.pk)
    require(actor, "registration.certificate.issue", node=registration.office.node)
    if registration.is_cancelled:
        raise DomainError("registration_cancelled", _("A cancelled registration gets no certificate."))
    pdf.require_font()
    office_signing.key_files(registration.office.node.code)
    now = timezone.now()
    today = timezone.localdate()
    certificate = Certificate(registration=registration, version=registration.version, reason=reason, issued_at=now,
                              issued_by=actor, valid_until=registration.valid_until, stored_name="", sha256="",
                              serial=_serial(registration, today))
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:  # two offices' clerks issuing in the same second: take the next number
        certificate.serial = _serial(registration, today)
        certificate.save()
    url = make_verify_url(certificate=certificate, base_url=base_url)
    office = registration.office
    issuer = _issuer_of(office)
    if office.issuer_name != issuer:  # the union was renamed since it was designated
        office.issuer_name = issuer
        office.save(update_fields=["issuer_name"])
    unsigned = pdf.render(registration=registration, serial=certificate.serial, issued_on=today,
                          issuer=issuer, verify_url=url)
    signed = office_signing.sign_pdf(unsigned, office_code=office.node.code, signer_name=issuer,
                                     reason=f"工会法人资格证书 {certificate.serial}",
                                     location=office.node.region_name or issuer)
    certificate.stored_name = store(signed, folder="registration/certificates", extension="pdf")
    certificate.sha256 = hashlib.sha256(signed).hexdigest()
    certificate.save(update_fields=["stored_name", "sha256"])
    audit("registration.certificate.issued", actor=actor, obj=certificate,
          data={"registration": registration.pk, "version": registration.version, "serial": certificate.serial})
    return certificate


class FileMissing(DomainError):
    """A record whose stored file is gone (e.g. a database restored without the media folder)."""

    def __init__(self, what: str, stored_name: str):
        log.error("registration: stored file missing: %s (%s)", stored_name, what)
        super().__init__("file_missing", _("The file of %(what)s is missing from the file store (it was not "
                                           "restored with the database). Ask the system administrator to restore "
                                           "the uploaded files; for a certificate, a new one can be issued.")
                         % {"what": what})


def _open_stored(stored_name: str, what: str):
    """The stored file opened for reading; FileMissing when it is not in the store."""
    from django.core.files.storage import default_storage

    if not stored_name:
        raise FileMissing(what, stored_name)
    try:
        return default_storage.open(stored_name, "rb")
    except (FileNotFoundError, OSError):
        raise FileMissing(what, stored_name) from None


def read_pdf(*, certificate: Certificate) -> bytes:
    with _open_stored(certificate.stored_name, selectors.certificate_label(certificate)) as handle:
        return handle.read()


def check_uploaded_pdf(*, upload) -> tuple[office_signing.SignatureCheck, Certificate | None]:
    """Check an uploaded certificate: the signature and integrity, then which certificate it is."""
    max_bytes = settings.GONGHUI_REGISTRATION_VERIFY_MAX_BYTES
    checked = check_upload(upload, kinds=(PDF,), max_bytes=max_bytes)
    result = office_signing.check_pdf(checked.content)
    certificate = None
    if result.ok:
        with scopes_disabled():
            certificate = (Certificate.objects.select_related("registration__office__node")
                           .filter(sha256=hashlib.sha256(checked.content).hexdigest()).first())
        if certificate is not None:
            office = certificate.registration.office
            if result.signer_sha256 not in office_signing.office_fingerprints(office.node.code):
                # Signed by a key of the platform, but not by the office that issued it.
                result = dataclasses.replace(result, trusted=False, problem=_(
                    "The signature is not from %(office)s, the registration office that issued this certificate.")
                    % {"office": office.issuer_name})
    return result, certificate
