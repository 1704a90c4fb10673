"""Uploaded documents and photos: checked by their bytes, stored outside the web root, served by views.

Every module that takes files (station photos, claim attachments, aid and registration
documents, evidence of assessments) goes through here:

- ``check_upload`` reads the first bytes and decides what the file *is* (JPEG, PNG, WebP, GIF,
  PDF), whatever its name or the browser's content type say; anything else, an empty file or
  one over the size cap is refused with a message in the user's language.
- Images are decoded with Pillow (decompression-bomb guard on), turned upright by their EXIF
  orientation and re-encoded without any metadata: the GPS position and the camera's serial
  number of a worker's phone photo never reach the server's disk.
- ``store`` writes under a random name in the default storage (MEDIA_ROOT, which no URL
  serves); the module's own view checks scope, then answers with ``file_response``.
"""

import io
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from .errors import DomainError

IMAGE, PDF = "image", "pdf"

log = logging.getLogger(__name__)


class StoredFileMissing(FileNotFoundError, Http404):
    """A record's file is not in the store (local folder or object store): the view answers 404.

    Still a ``FileNotFoundError``, so a view with a page of its own for it (registration) keeps it."""

# (kind, extension, content type) by leading bytes
_SIGNATURES = [
    (b"\xff\xd8\xff", (IMAGE, "jpg", "image/jpeg")),
    (b"\x89PNG\r\n\x1a\n", (IMAGE, "png", "image/png")),
    (b"GIF87a", (IMAGE, "gif", "image/gif")),
    (b"GIF89a", (IMAGE, "gif", "image/gif")),
    (b"%PDF-", (PDF, "pdf", "application/pdf")),
]


@dataclass(frozen=True)
class CheckedFile:
    kind: str            # IMAGE or PDF
    extension: str       # what it really is: jpg, png, webp, gif, pdf
    content_type: str
    content: bytes       # for images: re-encoded without metadata
    original_name: str
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.content)


def _sniff(head: bytes) -> tuple[str, str, str] | None:
    for signature, found in _SIGNATURES:
        if head.startswith(signature):
            return found
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return IMAGE, "webp", "image/webp"
    return None


def _read(upload, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes: enough to know the file is too big without reading it all."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1) if hasattr(upload, "read") else bytes(upload)[: max_bytes + 1]
    return data


def _clean_image(data: bytes, extension: str) -> tuple[bytes, int, int]:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = settings.GONGHUI_UPLOAD_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > settings.GONGHUI_UPLOAD_MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if extension == "jpg":
                upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif extension == "png":
                upright.save(out, "PNG", optimize=True)
            elif extension == "webp":
                upright.save(out, "WEBP", quality=88)
            else:
                upright.save(out, "GIF")
            return out.getvalue(), upright.width, upright.height
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DomainError("image_too_large", _("The picture is too large (too many pixels).")) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise DomainError("bad_file", _("The file is damaged or not really a picture.")) from exc


def check_upload(upload, *, kinds=(IMAGE, PDF), max_bytes: int | None = None, field: str | None = "file") -> CheckedFile:
    """What the file really is, refused unless it is one of ``kinds`` and within the size cap."""
    max_bytes = max_bytes or settings.GONGHUI_UPLOAD_MAX_BYTES
    name = getattr(upload, "name", "") or ""
    data = _read(upload, max_bytes)
    if not data:
        raise DomainError("empty_file", _("The file is empty."), field=field)
    if len(data) > max_bytes:
        raise DomainError("file_too_large", _("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)},
                          field=field)
    found = _sniff(data[:16])
    allowed = {IMAGE: _("pictures (JPEG, PNG, WebP, GIF)"), PDF: _("PDF documents")}
    if found is None or found[0] not in kinds:
        raise DomainError("file_type", _("Only %(kinds)s can be uploaded here.") % {
            "kinds": _(" or ").join(str(allowed[k]) for k in kinds)}, field=field)
    kind, extension, content_type = found
    if kind == IMAGE:
        content, width, height = _clean_image(data, extension)
        return CheckedFile(kind, extension, content_type, content, name, width, height)
    if b"%%EOF" not in data[-2048:]:
        raise DomainError("bad_file", _("The PDF document is incomplete or damaged."), field=field)
    return CheckedFile(kind, extension, content_type, data, name)


def thumbnail(checked: CheckedFile, *, size: int = 320) -> bytes:
    """A small JPEG of an image already checked (for lists and slow phones)."""
    from PIL import Image

    with Image.open(io.BytesIO(checked.content)) as image:
        image.thumbnail((size, size))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80, optimize=True)
        return out.getvalue()


def store(content: bytes, *, folder: str, extension: str) -> str:
    """Save under a random, unguessable name; returns the storage name to keep on the record."""
    name = f"{folder.strip('/')}/{secrets.token_urlsafe(18)}.{extension}"
    return default_storage.save(name, ContentFile(content))


def file_response(name: str, *, content_type: str, download_name: str = "", inline: bool = True) -> FileResponse:
    """Serve a stored file to someone the calling view has already allowed to see it."""
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        log.error("uploads: stored file missing: %s", name)
        raise StoredFileMissing(name) from None
    response = FileResponse(handle, content_type=content_type,
                            as_attachment=not inline, filename=download_name or name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=300"
    return response
