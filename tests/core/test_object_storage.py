"""Uploads on an S3-compatible object store (GONGHUI_STORAGE=s3), against a real local S3 server.

moto's server mode runs in a thread on a free loopback port; django-storages talks to it over HTTP
as it would to MinIO, Aliyun OSS or AWS. Files go in and out through the modules' real views, with
their scope checks unchanged; a missing object is the same 404 as a missing local file.
"""

import base64
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django_scopes import scopes_disabled
from moto.server import ThreadedMotoServer

from gonghui.accounts.models import Role
from gonghui.core.models import AuditEntry
from gonghui.core.storage import ObjectStorage, signed_url
from gonghui.rights.models import Case
from tests.factories import make_user
from tests.registration.conftest import filed, office, office_key  # noqa: F401 (fixtures)
from tests.registration.test_offices import _client
from tests.rights.conftest import PNG, make_worker, people, worker  # noqa: F401 (fixtures)
from tests.rights.test_worker_pages import FORM, phone_client

ROOT = Path(__file__).resolve().parents[2]
KEY, SECRET, REGION = "test-access-key", "test-secret-key", "us-east-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """A private bucket of this test's own, and the site's uploads pointed at it."""
    name = f"gonghui-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name=REGION, aws_access_key_id=KEY,
                          aws_secret_access_key=SECRET)
    client.create_bucket(Bucket=name)
    settings.GONGHUI_STORAGE = "s3"
    settings.GONGHUI_S3_BUCKET = name
    settings.GONGHUI_S3_ENDPOINT_URL = s3_server
    settings.GONGHUI_S3_REGION = REGION
    settings.GONGHUI_S3_ACCESS_KEY = KEY
    settings.GONGHUI_S3_SECRET_KEY = SECRET
    settings.GONGHUI_S3_ADDRESSING_STYLE = "path"
    settings.GONGHUI_S3_PREFIX = "county-a"
    # Changing STORAGES makes Django build default_storage anew (from the settings above).
    settings.STORAGES = {"default": {"BACKEND": "gonghui.core.storage.ObjectStorage"},
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client.bucket = name
    return client


def _objects(bucket) -> dict[str, bytes]:
    listed = bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", [])
    return {o["Key"]: bucket.get_object(Bucket=bucket.bucket, Key=o["Key"])["Body"].read() for o in listed}


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_site_uses_the_object_store_when_told(bucket):
    name = default_storage.save("probe/x.txt", SimpleUploadedFile("x.txt", b"hello"))
    assert isinstance(default_storage._wrapped, ObjectStorage)
    assert _objects(bucket) == {f"county-a/{name}": b"hello"}
    again = default_storage.save("probe/x.txt", SimpleUploadedFile("x.txt", b"other"))
    assert again != name, "a taken name is never overwritten, as in the local folder"
    url = signed_url(default_storage, name, seconds=60)
    assert "X-Amz-Expires=60" in url and "X-Amz-Signature=" in url
    default_storage.delete(name)
    assert set(_objects(bucket)) == {f"county-a/{again}"}
    with pytest.raises(FileNotFoundError):
        default_storage.open(name, "rb")


@pytest.mark.django_db
def test_registration_materials_go_to_the_bucket_and_come_back_through_the_view(tree, office, unscoped,  # noqa: F811
                                                                             bucket):
    application = filed(tree)
    material = application.materials.first()
    stored = _objects(bucket)
    assert f"county-a/{material.stored_name}" in stored
    assert len(stored) == application.materials.count()
    reviewer = make_user("county_reviewer", node=tree.a, roles=[Role.REVIEWER])
    response = _client(reviewer).get(f"/registration/materials/{material.pk}/")
    assert response.status_code == 200
    assert _body(response) == stored[f"county-a/{material.stored_name}"]
    assert AuditEntry.objects.filter(action="registration.material.viewed").count() == 1
    # A cadre of another township is still refused, before anything is read from the store.
    outsider = make_user("d_reviewer", node=tree.d, roles=[Role.REVIEWER])
    assert _client(outsider).get(f"/registration/materials/{material.pk}/").status_code in (403, 404)
    # The object deleted from the bucket: the same clear 404 page as a file gone from the folder.
    default_storage.delete(material.stored_name)
    assert f"county-a/{material.stored_name}" not in _objects(bucket)
    response = _client(reviewer).get(f"/registration/materials/{material.pk}/")
    assert response.status_code == 404 and "registration/file_missing.html" in [t.name for t in response.templates]
    assert AuditEntry.objects.filter(action="registration.material.viewed").count() == 1


@pytest.mark.django_db
def test_a_workers_claim_attachment_goes_to_the_bucket_and_only_the_worker_gets_it(people, worker,  # noqa: F811
                                                                                bucket):
    client = phone_client(worker)
    response = client.post("/w/claims/new/", {**FORM, "files": SimpleUploadedFile("工资条.png", PNG)})
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get()
        item = case.attachments.get()
    stored = _objects(bucket)
    assert list(stored) == [f"county-a/{item.stored_name}"]
    address = f"/w/claims/{case.pk}/files/{item.pk}/"
    response = client.get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    body = _body(response)
    assert body == stored[f"county-a/{item.stored_name}"] and body.startswith(b"\x89PNG")
    # Another worker's phone: refused by the scope check, as before.
    other = phone_client(make_worker("13900000001"))
    assert other.get(address).status_code == 404
    # The township's union administrator reads the same object through the console's case page.
    cadre = _client(people.user("b_admin"))
    response = cadre.get(f"/rights/documents/{item.pk}/")
    assert response.status_code == 200 and _body(response) == body
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="rights.document.viewed").count() == 1
        stranger = make_user("d_admin_2", node=people.d, roles=[Role.ADMIN])
    assert _client(stranger).get(f"/rights/documents/{item.pk}/").status_code in (403, 404)
    # Gone from the bucket: a 404, not a server error.
    default_storage.delete(item.stored_name)
    assert _objects(bucket) == {}
    response = Client(raise_request_exception=False).get(address)  # not signed in: still no file
    assert response.status_code in (302, 404)
    assert client.get(address).status_code == 404


def test_a_backup_names_the_bucket_and_says_its_objects_are_not_in_the_archive(transactional_db, tmp_path, bucket,
                                                                                settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the local folder: empty, the files are in the bucket
    settings.STORAGES = {"default": {"BACKEND": "gonghui.core.storage.ObjectStorage"},
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    name = default_storage.save("claims/bill.pdf", SimpleUploadedFile("bill.pdf", b"%PDF-1.4\n%%EOF\n"))
    out = io.StringIO()
    call_command("backup", to=tmp_path / "backups", stdout=out)
    archive = next((tmp_path / "backups").glob("gonghui-backup-*.tar"))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["uploads"] == {"storage": "s3", "included": False, "bucket": bucket.bucket,
                                   "prefix": "county-a", "endpoint": settings.GONGHUI_S3_ENDPOINT_URL}
    assert not [n for n in names if n.startswith("media/")]
    assert bucket.bucket in out.getvalue() and "docs/operations.md" in out.getvalue()
    assert f"county-a/{name}" in _objects(bucket)  # the backup neither copied nor touched the objects


def _production(**extra) -> subprocess.CompletedProcess:
    def key():
        return base64.b64encode(os.urandom(32)).decode()

    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGHUI_", "DJANGO_", "REDIS_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "gonghui.settings.production", "DJANGO_SECRET_KEY": "x" * 50,
        "GONGHUI_FIELD_KEYS": key(), "GONGHUI_HASH_KEY": key(), "GONGHUI_QR_SIGNING_KEY": key(),
        "GONGHUI_AUDIT_SIGNING_KEY": key(), "REDIS_URL": "redis://127.0.0.1:6379/15",
        "GONGHUI_PUBLIC_BASE_URL": "https://gonghui.example.cn", "GONGHUI_NOTIFIER": "some.provider.Notifier",
        "GONGHUI_SMS_BACKEND": "some.provider.Sms", **extra,
    })
    script = ("import django; django.setup(); from django.core.files.storage import storages; "
              "s = storages['default']; print(type(s).__name__, getattr(s, 'bucket_name', '-'))")
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,  # noqa: S603
                          cwd=ROOT, timeout=120)


def test_production_keeps_the_local_folder_by_default_and_takes_the_object_store_from_the_environment():
    local = _production()
    assert local.returncode == 0, local.stderr[-2000:]
    assert local.stdout.split() == ["FileSystemStorage", "-"]
    s3 = _production(GONGHUI_STORAGE="s3", GONGHUI_S3_BUCKET="gonghui-files",
                     GONGHUI_S3_ENDPOINT_URL="http://127.0.0.1:9", GONGHUI_S3_ADDRESSING_STYLE="virtual")
    assert s3.returncode == 0, s3.stderr[-2000:]
    assert s3.stdout.split() == ["ObjectStorage", "gonghui-files"]


@pytest.mark.parametrize("extra, says", [({"GONGHUI_STORAGE": "s3"}, "GONGHUI_S3_BUCKET"),
                                         ({"GONGHUI_STORAGE": "nfs"}, "GONGHUI_STORAGE must be local or s3")])
def test_production_refuses_an_object_store_it_cannot_use(extra, says):
    result = _production(**extra)
    assert result.returncode != 0 and says in result.stderr


@pytest.mark.django_db
def test_a_file_gone_from_the_local_store_is_a_404_too(people, worker):  # noqa: F811
    client = phone_client(worker)
    assert client.post("/w/claims/new/", {**FORM, "files": SimpleUploadedFile("工资条.png", PNG)}).status_code == 302
    with scopes_disabled():
        case = Case.objects.get()
        item = case.attachments.get()
    address = f"/w/claims/{case.pk}/files/{item.pk}/"
    assert client.get(address).status_code == 200
    default_storage.delete(item.stored_name)
    assert client.get(address).status_code == 404
