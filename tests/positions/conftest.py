import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png(size=(64, 48), color=(200, 20, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a GPS position and a camera model (what a phone photo carries)."""
    image = Image.new("RGB", (80, 60), (30, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = "PhoneCam X"          # Model
    exif[0x8825] = {1: "N", 2: (30.0, 52.0, 16.0), 3: "E", 4: (119.0, 56.0, 36.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
