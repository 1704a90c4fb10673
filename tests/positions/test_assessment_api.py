"""The four-haves assessment API: record with items, read, list per position and per subtree with a
flat query count, evidence upload; bad input refused in Chinese with nothing changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.positions.models import Assessment, Evidence, Position
from tests.positions.conftest import png
from tests.positions.factories import make_position

ALL_MET = {"venue": True, "facilities": True, "activities": True, "rules": True}


@pytest.fixture
def home(tree):
    with scopes_disabled():
        return make_position(tree.c, tree=tree, name="精密机械职工之家", kind="workers_home")


def api_for(client, user):
    with scopes_disabled():
        _token, key = create_api_token(user=user, name="t")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_record_read_list_and_evidence(tree, home, client):
    api = api_for(client, tree.user("b_clerk"))
    created = api.post(f"/api/v1/positions/{home.pk}/assessments", {
        "assessed_on": "2026-03-01", "assessor": "县总工会考评组", "items": ALL_MET,
        "notes": {"venue": "二楼120平方米"}, "level_awarded": "county"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["result"] == "passed" and body["result_label"] == "达标" and body["level_awarded"] == "county"
    assert body["items"][0] == {"code": "venue", "label": "有固定场所", "met": True, "notes": "二楼120平方米"}
    with scopes_disabled():
        assert Position.objects.get(pk=home.pk).level == "county"  # the level awarded becomes the home's
    improve = api.post(f"/api/v1/positions/{home.pk}/assessments", {
        "assessed_on": "2026-05-01", "assessor": "县总工会考评组", "items": {**ALL_MET, "rules": False}},
        content_type="application/json").json()
    assert improve["result"] == "improve"
    upload = api.post(f"/api/v1/assessments/{improve['id']}/evidence",
                      {"item": "venue", "file": SimpleUploadedFile("v.png", png(), content_type="image/png")})
    assert upload.status_code == 201 and upload.json()["item"] == "venue"
    read = api.get(f"/api/v1/assessments/{improve['id']}").json()
    assert [e["name"] for e in read["evidence"]] == ["v.png"]
    assert [a["assessed_on"] for a in api.get(f"/api/v1/positions/{home.pk}/assessments").json()] == [
        "2026-05-01", "2026-03-01"]
    listed = api.get("/api/v1/assessments", {"node": tree.b.pk, "result": "passed"}).json()["items"]
    assert [a["id"] for a in listed] == [body["id"]]
    assert api.get("/api/v1/assessments", {"year": 2025}).json()["items"] == []


@pytest.mark.parametrize("bad, word", [
    ({"items": {**ALL_MET, "spa": True}}, "spa"),
    ({"items": {**ALL_MET, "rules": False}, "level_awarded": "city"}, "四项全部达标"),
    ({"assessed_on": "2999-01-01"}, "不能晚于今天"),
    ({"level_awarded": "galactic"}, ""),
    ({"assessor": ""}, ""),
    ({"extra": 1}, "不接受"),
])
def test_bad_assessments_change_nothing(tree, home, client, bad, word):
    api = api_for(client, tree.user("b_clerk"))
    payload = {"assessed_on": "2026-03-01", "assessor": "考评组", "items": ALL_MET, **bad}
    response = api.post(f"/api/v1/positions/{home.pk}/assessments", payload, content_type="application/json")
    assert response.status_code == 422 and word in str(response.json())
    with scopes_disabled():
        assert not Assessment.objects.exists() and Position.objects.get(pk=home.pk).level == ""


def test_evidence_must_be_a_picture_or_pdf_for_an_item(tree, home, client):
    api = api_for(client, tree.user("b_clerk"))
    pk = api.post(f"/api/v1/positions/{home.pk}/assessments", {
        "assessed_on": "2026-03-01", "assessor": "考评组", "items": ALL_MET}, content_type="application/json").json()["id"]
    svg = api.post(f"/api/v1/assessments/{pk}/evidence", {"item": "venue", "file": SimpleUploadedFile(
        "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml")})
    wrong_item = api.post(f"/api/v1/assessments/{pk}/evidence", {"item": "spa", "file": SimpleUploadedFile(
        "v.png", png(), content_type="image/png")})
    assert svg.status_code in (400, 422) and wrong_item.status_code == 400
    with scopes_disabled():
        assert not Evidence.objects.exists()


def test_viewer_reads_but_may_not_record(tree, home, client):
    api = api_for(client, tree.user("b_viewer"))
    assert api.get(f"/api/v1/positions/{home.pk}/assessments").status_code == 200
    response = api.post(f"/api/v1/positions/{home.pk}/assessments", {
        "assessed_on": "2026-03-01", "assessor": "考评组", "items": ALL_MET}, content_type="application/json")
    assert response.status_code == 403


def test_list_query_count_is_flat(tree, home, client, django_assert_max_num_queries):
    from gonghui.positions.services import assessments

    api = api_for(client, tree.user("b_clerk"))
    with scopes_disabled():
        assessments.record_assessment(position=home, actor=tree.user("a_admin"), assessed_on=timezone.localdate(home.created_at),
                                      assessor="考评组", items=ALL_MET)
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/assessments")
    with scopes_disabled():
        for i in range(15):
            other = make_position(tree.c, tree=tree, kind="workers_home", name=f"职工之家{i}")
            assessments.record_assessment(position=other, actor=tree.user("a_admin"),
                                          assessed_on=timezone.localdate(home.created_at), assessor="考评组", items=ALL_MET)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/assessments").json()["items"]) == 16
