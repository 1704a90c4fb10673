"""What schemathesis found (issue 17, finding 9), each kept as a plain test: malformed multipart,
numbers out of range in the page, a year, an id, a count or a number of days. Each was a 500; each
is now a 400/422 in Chinese that names the fault and changes nothing."""

import re

import pytest

from .helpers import ApiClient, api_as, snapshot

CHINESE = re.compile(r"[\u4e00-\u9fff]")
HUGE = 2**63 - 1  # what the fuzzer sends first: the largest int64
BEYOND = 2**64

UPLOADS = [
    "/positions/1/photos",
    "/registration/applications/1/materials",
    "/rights/cases/1/documents",
    "/funds/projects/1/files",
]


def _refused(response, field=None, status=422):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert CHINESE.search(body["detail"]), body
    if field is not None:
        assert field in body["errors"] and all(CHINESE.search(m) for m in body["errors"][field]), body
    return body


@pytest.mark.parametrize("path", UPLOADS)
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          "multipart/form-data; boundary=x\x00y"])
def test_multipart_without_a_usable_boundary_is_400_in_chinese(tree, path, content_type):
    before = snapshot()
    response = api_as(tree, "a_admin").raw("post", path, b"--x\r\nContent-Disposition: form-data\r\n\r\n1\r\n",
                                           content_type=content_type)
    body = _refused(response, status=400)
    assert body["code"] == "bad_multipart"
    assert snapshot() == before


def test_the_public_certificate_check_refuses_multipart_without_a_boundary(db):
    response = ApiClient().raw("post", "/registration/verify", b"payload=1", content_type="multipart/form-data")
    assert _refused(response, status=400)["code"] == "bad_multipart"


@pytest.mark.parametrize("page", [HUGE, BEYOND, 0, -1])
def test_a_page_out_of_range_is_422(tree, page):
    _refused(api_as(tree, "a_admin").get("/nodes", page=page), "page")


@pytest.mark.parametrize("path", ["/positions/indicators", "/volunteer-totals", "/aid/figures", "/funds/summary",
                                  "/commendations", "/funds/ledger"])
@pytest.mark.parametrize("year", [0, -1, 1948, 2101, HUGE])
def test_a_year_out_of_range_is_422(tree, path, year):
    _refused(api_as(tree, "a_admin").get(path, year=year), "year")


def test_a_year_in_range_is_answered(tree):
    assert api_as(tree, "a_admin").get("/positions/indicators", year=2026).status_code == 200


@pytest.mark.parametrize("days", [HUGE, BEYOND, -1, 3661])
def test_renewal_window_out_of_range_is_422(tree, days):
    _refused(api_as(tree, "a_admin").get("/rights/agreements", renewal_due_within=days), "renewal_due_within")


@pytest.mark.parametrize("path", ["/positions/{}", "/rights/cases/{}", "/nodes/{}"])
@pytest.mark.parametrize("pk", [0, -5, BEYOND])
def test_an_id_out_of_range_is_422(tree, path, pk):
    response = api_as(tree, "a_admin").get(path.format(pk))
    assert response.status_code == 422, response.content


def test_a_count_too_large_for_its_column_is_422_and_changes_nothing(tree):
    from tests.factories import credit_code

    before = snapshot()
    response = api_as(tree, "b_admin").post("/employers", {
        "node_id": tree.c.pk, "name": "青山新材料有限公司", "credit_code": credit_code(), "sector": "manufacturing",
        "employee_count": HUGE})
    _refused(response, "employee_count")
    assert snapshot() == before
