"""Medical claims with photos or PDFs of the bills: shown only to aid officers of the subtree and the worker."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_scopes import scopes_disabled
from PIL import Image

from gonghui.aid.models import Application, ClaimDocument
from gonghui.core.models import AuditEntry
from tests.factories import make_user
from tests.test_scope_proof import _cadre_client

from .conftest import claim_data, enrol, make_medical, make_member, snapshot, worker_for
from .test_views import worker_client


def _jpeg(name="bill.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _pdf():
    return SimpleUploadedFile("summary.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def _form(programme, **over):
    data = claim_data()
    form = {"programme": programme.pk, "hospital": data["hospital"], "diagnosis": "骨折及外伤",
            "admitted_on": data["admitted_on"].isoformat(), "discharged_on": data["discharged_on"].isoformat(),
            "bills_total": "12000", "eligible": "9000", "bill1_number": "A001", "bill1_amount": "8000",
            "bill2_number": "A002", "bill2_amount": "4000"}
    form.update(over)
    return form


@pytest.fixture
def enrolled(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    return programme, member


def test_the_worker_sends_bill_photos_and_only_officers_of_the_subtree_and_the_worker_see_them(people, enrolled):
    programme, member = enrolled
    worker = worker_for(member.phone)
    client = worker_client(worker)
    response = client.post("/w/aid/claim/", {**_form(programme), "bill_photos": [_jpeg(), _pdf()]})
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        application = Application.objects.get()
        documents = list(ClaimDocument.objects.filter(claim__application=application).order_by("id"))
    assert [d.content_type for d in documents] == ["image/jpeg", "application/pdf"]
    page = client.get(f"/w/aid/{application.pk}/").content.decode()
    assert f"/w/aid/claims/documents/{documents[0].pk}/" in page
    own = client.get(f"/w/aid/claims/documents/{documents[0].pk}/")
    assert own.status_code == 200 and own["X-Content-Type-Options"] == "nosniff"
    stranger = worker_client(worker_for("13700000001"))
    assert stranger.get(f"/w/aid/claims/documents/{documents[0].pk}/").status_code == 404
    # the aid officer of the subtree: on the console page, and the file, audited
    officer = _cadre_client(people, "b_admin")
    assert f"/aid/claims/documents/{documents[1].pk}/" in officer.get(f"/aid/applications/{application.pk}/").content.decode()
    assert officer.get(f"/aid/claims/documents/{documents[1].pk}/").status_code == 200
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="aid.claim.document_viewed").count() == 1
        people.users["b_finance"] = make_user("b_finance", node=people.b, roles=["finance"])
    finance = _cadre_client(people, "b_finance")
    assert "/aid/claims/documents/" not in finance.get(f"/aid/applications/{application.pk}/").content.decode()
    assert finance.get(f"/aid/claims/documents/{documents[0].pk}/").status_code == 403
    assert _cadre_client(people, "d_admin").get(f"/aid/claims/documents/{documents[0].pk}/").status_code == 404


@pytest.mark.parametrize("files", [
    [SimpleUploadedFile("bill.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")],
    [SimpleUploadedFile("bill.pdf", b"%PDF-1.4 truncated", content_type="application/pdf")],
    "eleven",
])
def test_a_fake_or_too_many_bill_files_refuse_the_claim_and_change_nothing(people, enrolled, files):
    programme, member = enrolled
    files = [_jpeg(f"b{i}.jpg") for i in range(11)] if files == "eleven" else files
    client = worker_client(worker_for(member.phone))
    before = snapshot()
    response = client.post("/w/aid/claim/", {**_form(programme), "bill_photos": files})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert snapshot() == before
    assert Client().get("/w/aid/claim/").status_code == 302
