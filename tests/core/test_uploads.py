"""Uploads are judged by their bytes, capped, and photos lose their metadata."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gonghui.core import uploads
from gonghui.core.errors import DomainError


def _jpeg_with_gps(width=64, height=48) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90°
    exif[0x8825] = {1: "N", 2: (30.0, 37.0, 48.0)}  # GPS latitude
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_photo_is_turned_upright_and_loses_its_metadata():
    raw = _jpeg_with_gps()
    assert b"PhoneMaker" in raw
    checked = uploads.check_upload(SimpleUploadedFile("a.png", raw))  # the name lies; the bytes decide
    assert (checked.kind, checked.extension, checked.content_type) == ("image", "jpg", "image/jpeg")
    assert (checked.width, checked.height) == (48, 64)
    assert b"PhoneMaker" not in checked.content
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif()


def test_a_pdf_is_kept_as_it_is():
    checked = uploads.check_upload(SimpleUploadedFile("证明.pdf", PDF))
    assert checked.kind == "pdf" and checked.content == PDF


@pytest.mark.parametrize("data, code", [
    (b"", "empty_file"),
    (b"MZ\x90\x00 an executable named photo.jpg", "file_type"),
    (b"<html><script>alert(1)</script>", "file_type"),
    (b"\xff\xd8\xff\xe0 not really a jpeg", "bad_file"),
    (b"%PDF-1.4 cut off in the middle", "bad_file"),
])
def test_what_is_not_a_picture_or_a_pdf_is_refused_with_a_message(data, code):
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(SimpleUploadedFile("photo.jpg", data))
    assert exc.value.code == code and exc.value.message


def test_pdf_refused_where_only_pictures_are_taken():
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(SimpleUploadedFile("a.pdf", PDF), kinds=(uploads.IMAGE,))
    assert exc.value.code == "file_type" and "图片" in exc.value.message


def test_size_cap(settings):
    settings.GONGHUI_UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(SimpleUploadedFile("a.pdf", PDF + b" " * (1024 * 1024)))
    assert exc.value.code == "file_too_large" and "1 MB" in exc.value.message


def test_decompression_bomb_refused(settings):
    settings.GONGHUI_UPLOAD_MAX_PIXELS = 1000
    out = io.BytesIO()
    Image.new("L", (100, 100)).save(out, "PNG")
    with pytest.raises(DomainError) as exc:
        uploads.check_upload(SimpleUploadedFile("big.png", out.getvalue()))
    assert exc.value.code == "image_too_large"


def test_stored_under_a_random_name_and_served_with_nosniff():
    checked = uploads.check_upload(SimpleUploadedFile("a.pdf", PDF))
    first = uploads.store(checked.content, folder="test", extension=checked.extension)
    second = uploads.store(checked.content, folder="test", extension=checked.extension)
    assert first != second and first.startswith("test/") and first.endswith(".pdf")
    assert default_storage.open(first).read() == PDF
    response = uploads.file_response(first, content_type=checked.content_type, download_name="证明.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_thumbnail_is_small():
    checked = uploads.check_upload(SimpleUploadedFile("a.jpg", _jpeg_with_gps(1200, 900)))
    with Image.open(io.BytesIO(uploads.thumbnail(checked))) as thumb:
        assert max(thumb.size) == 320
