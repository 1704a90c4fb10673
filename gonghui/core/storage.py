"""Uploads on an S3-compatible object store (``GONGHUI_STORAGE=s3``), for several app machines.

The local folder (MEDIA_ROOT) stays the embedded default. With the object store, files are still
written under random names by ``gonghui.core.uploads.store`` and still read only through a
module's own view, after its scope check: the view streams the object through the app
(``file_response``), so the bucket stays private and no signed URL ever leaves the server
(``signed_url`` exists for a future direct download, valid a few minutes). A missing object raises
``FileNotFoundError`` as a missing local file does, so the views answer the same 404.
"""

from django.conf import settings
from storages.backends.s3 import S3Storage

SIGNED_URL_SECONDS = 300


class ObjectStorage(S3Storage):
    """django-storages' S3 backend configured from GONGHUI_S3_* (docs/deployment.md)."""

    def __init__(self, **overrides):
        options = {
            "bucket_name": settings.GONGHUI_S3_BUCKET,
            "endpoint_url": settings.GONGHUI_S3_ENDPOINT_URL or None,
            "region_name": settings.GONGHUI_S3_REGION or None,
            "access_key": settings.GONGHUI_S3_ACCESS_KEY or None,
            "secret_key": settings.GONGHUI_S3_SECRET_KEY or None,
            "addressing_style": settings.GONGHUI_S3_ADDRESSING_STYLE or None,
            "location": settings.GONGHUI_S3_PREFIX.strip("/"),
            "default_acl": None,  # private: the bucket's own policy, never public-read
            "file_overwrite": False,  # like the local folder: a name taken gets a new one
            "querystring_auth": True,
            "querystring_expire": SIGNED_URL_SECONDS,
            "signature_version": "s3v4",
        }
        options.update(overrides)
        super().__init__(**options)


def signed_url(storage, name: str, *, seconds: int = SIGNED_URL_SECONDS) -> str:
    """A short-lived address of one object, for a caller that has already checked scope."""
    return storage.url(name, expire=seconds)
