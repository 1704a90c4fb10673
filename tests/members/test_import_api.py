"""Roster import through the API: stage (validate, nothing written), read back, commit once."""

from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.members.models import Member

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def sample() -> Path:
    files = sorted(p for p in DATA.glob("*.xlsx") if "enterprise" in p.name or "花名册" in p.name)
    assert files, "tests/data holds the sample rosters (tests/data/make_samples.py)"
    return files[0]


def test_stage_then_commit_once(client, tree):
    headers = auth(tree.user("b_clerk"))
    with sample().open("rb") as fh:
        staged = client.post("/api/v1/imports", {"node_id": tree.c.pk, "file": fh}, **headers)
    assert staged.status_code == 201, staged.content
    body = staged.json()
    assert body["state"] == "staged" and body["counts"]["new"] > 0
    with scopes_disabled():
        assert not Member.objects.exists()  # staging writes nothing
    token = body["token"]
    assert client.get(f"/api/v1/imports/{token}", **headers).json()["state"] == "staged"
    done = client.post(f"/api/v1/imports/{token}/commit", **headers)
    assert done.status_code == 200 and done.json()["state"] == "done"
    with scopes_disabled():
        assert Member.objects.count() == body["counts"]["new"]
    again = client.post(f"/api/v1/imports/{token}/commit", **headers)
    assert again.status_code == 400
    with scopes_disabled():
        assert Member.objects.count() == body["counts"]["new"]


def test_another_users_import_is_not_found(client, tree):
    with sample().open("rb") as fh:
        token = client.post("/api/v1/imports", {"node_id": tree.c.pk, "file": fh},
                            **auth(tree.user("b_clerk"))).json()["token"]
    other = auth(tree.user("b_admin"))
    assert client.get(f"/api/v1/imports/{token}", **other).status_code == 404
    assert client.post(f"/api/v1/imports/{token}/commit", **other).status_code == 404
    with scopes_disabled():
        assert not Member.objects.exists()


def test_html_renamed_xlsx_is_refused_in_chinese(client, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("花名册.xlsx", b"<html><body><table><tr><td>x</td></tr></table></body></html>")
    response = client.post("/api/v1/imports", {"node_id": tree.c.pk, "file": fake}, **auth(tree.user("b_clerk")))
    assert response.status_code == 400 and "网页" in response.json()["detail"]


def test_import_into_another_township_is_404(client, tree):
    with sample().open("rb") as fh:
        response = client.post("/api/v1/imports", {"node_id": tree.d.pk, "file": fh}, **auth(tree.user("b_clerk")))
    assert response.status_code == 404
