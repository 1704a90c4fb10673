"""Console pages, worker pages and API of aid: flows, masking, query counts."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.aid import selectors
from gonghui.aid.models import Application, Disbursement
from gonghui.aid.services import applications as apps
from gonghui.aid.services import medical
from gonghui.core.models import AuditEntry
from gonghui.core.scoping import tree_scope
from gonghui.core.sessions import SAVED_AT
from tests.test_scope_proof import _cadre_client, _token_headers

from .conftest import claim_data, enrol, make_medical, make_member, make_programme, snapshot, worker_for


def worker_client(worker) -> Client:
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


def paid_applications(tree, programme, n, start=0):
    out = []
    with scopes_disabled():
        for i in range(start, start + n):
            member = make_member(tree, seq=100 + i, phone=f"1390000{i:04d}")
            application = apps.create_application(programme=programme, member=member, actor=tree.user("b_clerk"),
                                                  reason="困难", amount="100")
            apps.approve_application(application=application, actor=tree.user("b_reviewer"))
            apps.pay_application(application=application, actor=tree.user("a_admin"))
            out.append(application)
    return out


def test_worker_claims_on_the_phone_and_sees_the_payout_after_approval(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    worker = worker_for(member.phone)
    client = worker_client(worker)
    assert client.get("/w/aid/").status_code == 200
    data = {"programme": programme.pk, "hospital": "青山县人民医院", "diagnosis": "骨折及外伤",
            "admitted_on": f"{programme.year}-03-02", "discharged_on": f"{programme.year}-03-12",
            "bills_total": "12000", "eligible": "9000", "bill1_number": "A001", "bill1_amount": "8000",
            "bill2_number": "A002", "bill2_amount": "4000"}
    bad = client.post("/w/aid/claim/", {**data, "bills_total": "12500"})
    assert bad.status_code == 200 and "12000.00" in bad.content.decode()
    with scopes_disabled():
        assert not Application.objects.exists()
    response = client.post("/w/aid/claim/", data)
    assert response.status_code == 302
    with scopes_disabled():
        application = Application.objects.get()
        apps.approve_application(application=application, actor=people.user("b_reviewer"))
    page = client.get(response["Location"]).content.decode()
    assert ("4,800.00" in page or "4800.00" in page) and "已批准" in page


def test_a_worker_cannot_read_another_workers_application(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    with scopes_disabled():
        application = medical.submit_claim(programme=programme, member=member, worker=worker_for(member.phone),
                                           **claim_data())
    other = worker_client(worker_for("13700001111"))
    assert other.get(f"/w/aid/{application.pk}/").status_code == 404
    before = snapshot()
    assert other.post(f"/w/aid/{application.pk}/withdraw/").status_code == 404
    assert snapshot() == before
    assert "骨折" not in other.get("/w/aid/").content.decode()


def test_console_figures_match_the_ledger_sum(people):
    programme = make_programme(people)
    applications = paid_applications(people, programme, 3)
    with scopes_disabled():
        apps.reverse_disbursement(application=applications[0], actor=people.user("a_admin"), reason="银行退票", release=True)
        total = sum(Disbursement.objects.values_list("amount", flat=True))
    assert total == Decimal("200.00")
    page = _cadre_client(people, "b_admin").get("/aid/").content.decode()
    assert "200.00" in page
    response = Client().get("/api/v1/aid/figures", headers=_token_headers(people, "a_admin"))
    assert Decimal(response.json()["paid"]) == total and response.json()["people"] == 2


def test_publicity_page_masks_names(people):
    programme = make_programme(people)
    application = paid_applications(people, programme, 1)[0]
    with scopes_disabled():
        publicity = apps.publish_publicity(programme=programme, node=people.a, actor=people.user("a_admin"))
        name, number = application.name, application.id_number
    page = _cadre_client(people, "a_admin").get(f"/aid/publicity/{publicity.pk}/").content.decode()
    assert name not in page and number not in page and name[0] + "*" in page


def test_console_amount_errors_are_shown_and_nothing_changes(people):
    with scopes_disabled():
        programme = make_programme(people)
        member = make_member(people)
    client = _cadre_client(people, "b_clerk")
    before = snapshot()
    for amount in ("-5", "NaN", "1e309", "0.001"):
        response = client.post(f"/aid/applications/new/?node={people.c.pk}", {
            "programme": programme.pk, "id_number": member.id_number, "reason": "困难", "amount": amount})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert snapshot() == before


def test_api_bad_amounts_and_second_application(people):
    with scopes_disabled():
        programme = make_programme(people)
        member = make_member(people)
    headers = _token_headers(people, "b_admin")
    client = Client()
    for amount in (-1, 0, "NaN", "1e309", 1e308, "12.345"):
        body = json.dumps({"programme_id": programme.pk, "member_id": member.pk, "reason": "困难", "amount": amount})
        response = client.post("/api/v1/aid/applications", body, content_type="application/json", headers=headers)
        assert response.status_code == 422, (amount, response.content)
    body = {"programme_id": programme.pk, "member_id": member.pk, "reason": "困难", "amount": "300"}
    assert client.post("/api/v1/aid/applications", body, content_type="application/json",
                       headers=headers).status_code == 201
    again = client.post("/api/v1/aid/applications", body, content_type="application/json", headers=headers)
    assert again.status_code == 400 and again.json()["code"] == "already_applied"


def test_claim_details_are_for_aid_officers_and_audited(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    with scopes_disabled():
        application = medical.submit_claim(programme=programme, member=member, worker=worker_for(member.phone),
                                           **claim_data())
        from tests.factories import make_user

        people.users["b_finance"] = make_user("b_finance", node=people.b, roles=["finance"])
    officer = Client().get(f"/api/v1/aid/applications/{application.pk}", headers=_token_headers(people, "b_admin"))
    assert officer.json()["claim"]["diagnosis"] == "骨折"
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="aid.claim.viewed").count() == 1
    finance = Client().get(f"/api/v1/aid/applications/{application.pk}", headers=_token_headers(people, "b_finance"))
    assert finance.status_code == 200 and finance.json()["claim"] is None


@pytest.mark.parametrize("url", ["/aid/", "/aid/applications/", "/aid/ledger/", "/api/v1/aid/applications",
                                 "/api/v1/aid/ledger", "/api/v1/aid/programmes"])
def test_lists_take_a_flat_number_of_queries(people, url, django_assert_max_num_queries):
    programme = make_programme(people)
    paid_applications(people, programme, 2)
    headers = _token_headers(people, "b_admin") if url.startswith("/api/") else {}
    client = Client() if headers else _cadre_client(people, "b_admin")
    client.get(url, headers=headers)
    with django_assert_max_num_queries(30) as small:
        client.get(url, headers=headers)
    paid_applications(people, programme, 12, start=10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, headers=headers).status_code == 200


def test_year_figures_per_subtree(people):
    programme = make_programme(people)
    paid_applications(people, programme, 2)
    with scopes_disabled():
        d_member = make_member(people, people.d, seq=900, phone="13900009999")
        application = apps.create_application(programme=programme, member=d_member, actor=people.user("d_admin"),
                                              reason="困难", amount="300")
        apps.approve_application(application=application, actor=people.user("a_reviewer"))
        apps.pay_application(application=application, actor=people.user("a_admin"))
    with tree_scope(None):
        assert selectors.year_figures(year=programme.year)["paid"] == Decimal("500.00")
    from gonghui.core.lookups import Subtree

    with tree_scope(Subtree([people.b.path])):
        figures = selectors.year_figures(year=programme.year)
    assert figures["paid"] == Decimal("200.00") and figures["people"] == 2


def test_api_hardship_file_is_for_aid_officers_and_audited(people):
    from .test_hardship_and_wishes import register

    with scopes_disabled():
        file = register(people)
    response = Client().get(f"/api/v1/aid/hardship/{file.pk}", headers=_token_headers(people, "b_admin"))
    assert response.status_code == 200
    body = response.json()
    assert body["situation"] == "丈夫尿毒症长期透析" and body["household"][0]["relation"] == "配偶"
    assert body["id_number_masked"].startswith("330521") and "*" in body["id_number_masked"]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="aid.hardship.viewed").count() == 1
    viewer = Client().get(f"/api/v1/aid/hardship/{file.pk}", headers=_token_headers(people, "b_viewer"))
    assert viewer.status_code == 403


def test_api_amounts_are_strings_or_integers_and_a_json_float_is_refused_with_the_reason(people):
    """0.1 + 0.2 computed by a client arrives as 0.30000000000000004: refused, nothing written;
    the same amount as the string "0.30" or a whole number of yuan is taken exactly."""
    with scopes_disabled():
        programme = make_programme(people)
        member = make_member(people)
        other = make_member(people, seq=124, phone="13912345679")
    headers = {**_token_headers(people, "b_admin"), "Accept-Language": "zh-hans"}
    client = Client()
    before = snapshot()
    for amount in (0.1 + 0.2, 300.5, 12.0, True):
        body = json.dumps({"programme_id": programme.pk, "member_id": member.pk, "reason": "困难", "amount": amount})
        response = client.post("/api/v1/aid/applications", body, content_type="application/json", headers=headers)
        assert response.status_code == 422, (amount, response.content)
        message = " ".join(response.json()["errors"]["amount"])
        assert ("整数元" in message) == (amount is not True), message
    assert snapshot() == before
    for who, amount, expected in ((member, "0.30", "0.30"), (other, 300, "300.00")):
        body = json.dumps({"programme_id": programme.pk, "member_id": who.pk, "reason": "困难", "amount": amount})
        response = client.post("/api/v1/aid/applications", body, content_type="application/json", headers=headers)
        assert response.status_code == 201 and response.json()["amount_requested"] == expected
