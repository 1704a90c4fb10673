"""The worker's phone pages: file a claim, my claims, follow by code, add information, withdraw."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.core.sessions import SAVED_AT
from gonghui.rights import selectors
from gonghui.rights.models import Case, Stage
from gonghui.rights.services import cases, claims

from .conftest import PNG, hotline_case, make_worker, snapshot

pytestmark = pytest.mark.django_db


def phone_client(worker) -> Client:
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


FORM = {"category": "wage_arrears", "employer_name": "青山精密机械有限公司", "node": "", "claimant_name": "刘大海",
        "facts": "8月到10月的工资一直没发，车间主任说老板没钱。", "amount_claimed": "18,600", "workers_involved": "3",
        "parties": ""}


def test_worker_files_a_claim_and_sees_it(people, worker):
    client = phone_client(worker)
    page = client.get("/w/claims/new/")
    assert page.status_code == 200 and 'name="id_number"' not in page.content.decode()
    response = client.post("/w/claims/new/", {**FORM, "files": SimpleUploadedFile("工资条.png", PNG)})
    assert response.status_code == 302
    with scopes_disabled():
        case = Case.objects.get()
    assert response["Location"] == f"/w/claims/{case.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert selectors.format_code(case.tracking_code) in detail and "工资条.png" in detail
    with scopes_disabled():
        assert case.node == people.b and case.attachments.count() == 1
    assert f"/w/claims/{case.pk}/" in client.get("/w/claims/").content.decode()


def test_a_bad_amount_on_the_phone_says_why_and_files_nothing(people, worker):
    before = snapshot()
    response = phone_client(worker).post("/w/claims/new/", {**FORM, "amount_claimed": "-200"})
    assert response.status_code == 200 and "金额不能为负数" in response.content.decode()
    assert snapshot() == before


def test_a_disguised_attachment_is_refused_on_the_phone(people, worker):
    before = snapshot()
    response = phone_client(worker).post("/w/claims/new/", {
        **FORM, "files": SimpleUploadedFile("../../x.jpg", b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert snapshot() == before


def test_another_worker_cannot_open_my_claim_or_its_files(people, worker):
    case = hotline_case(people, claimant_phone=worker.phone)
    stranger = phone_client(make_worker("13600002222"))
    assert stranger.get(f"/w/claims/{case.pk}/").status_code == 404
    before = snapshot()
    assert stranger.post(f"/w/claims/{case.pk}/withdraw/").status_code == 404
    assert stranger.post(f"/w/claims/{case.pk}/add/", {"text": "冒充补充的材料内容"}).status_code == 404
    assert stranger.get(f"/w/claims/{case.pk}/files/1/").status_code == 404
    assert snapshot() == before
    assert phone_client(worker).get(f"/w/claims/{case.pk}/").status_code == 200


def test_worker_follows_each_step_adds_information_and_withdraws(people, worker):
    case = hotline_case(people, claimant_phone=worker.phone)
    client = phone_client(worker)
    with scopes_disabled():
        cases.move_case(case=case, name="accept", actor=people.user("b_admin"))
    page = client.get(f"/w/claims/{case.pk}/").content.decode()
    assert "已受理" in page
    client.post(f"/w/claims/{case.pk}/add/", {"text": "补充：有工友可以作证。", "files": SimpleUploadedFile("a.png", PNG)})
    client.post(f"/w/claims/{case.pk}/withdraw/", {"reason": "已经和老板谈妥"})
    with scopes_disabled():
        case.refresh_from_db()
        assert case.stage == Stage.WITHDRAWN and case.attachments.filter(by_claimant=True).count() == 1
    assert "已撤回" in client.get(f"/w/claims/{case.pk}/").content.decode()


def test_tracking_page_shows_steps_without_personal_data(people):
    case = hotline_case(people)
    response = Client().post("/w/claims/track/", {"code": selectors.format_code(case.tracking_code)})
    page = response.content.decode()
    assert response.status_code == 200 and "待受理" in page
    assert "刘大海" not in page and "18600" not in page and "13812345678" not in page


def test_tracking_unknown_codes_answer_404_then_429(people):
    case = hotline_case(people)
    client = Client()
    for _ in range(claims.TRACK_FAILURES_PER_HOUR):
        assert client.post("/w/claims/track/", {"code": "2345 6789 ABCD"}).status_code == 404
    assert client.post("/w/claims/track/", {"code": case.tracking_code}).status_code == 429
