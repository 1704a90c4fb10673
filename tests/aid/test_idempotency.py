"""Issue 17, finding 2 in aid: money-creating API calls take an ``Idempotency-Key`` (the same key
and body answer the first answer again, nothing done twice; another body is refused), and the
console's application form carries a one-time token, so a double submit files one application."""

import json

from django.test import Client
from django_scopes import scopes_disabled

from gonghui.aid.models import Application, Disbursement
from gonghui.aid.services import applications as apps
from tests.test_scope_proof import _cadre_client, _token_headers, snapshot

from .conftest import make_member, make_programme


def _post(url, body, headers, key):
    return Client().post(url, json.dumps(body), content_type="application/json",
                         headers={**headers, "Idempotency-Key": key})


def test_filing_twice_with_one_key_files_once_and_answers_the_same(people):
    programme, member = make_programme(people), make_member(people)
    headers = _token_headers(people, "b_clerk")
    body = {"programme_id": programme.pk, "member_id": member.pk, "reason": "家中老人重病", "amount": "300"}
    first = _post("/api/v1/aid/applications", body, headers, "file-1")
    second = _post("/api/v1/aid/applications", body, headers, "file-1")
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    before = snapshot()
    other = _post("/api/v1/aid/applications", {**body, "amount": "200"}, headers, "file-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert snapshot() == before
    with scopes_disabled():
        assert Application.objects.count() == 1


def test_paying_twice_with_one_key_pays_once(people):
    programme, member = make_programme(people), make_member(people)
    with scopes_disabled():
        application = apps.create_application(programme=programme, member=member, actor=people.user("b_clerk"),
                                              reason="家中老人重病", amount="300")
        apps.approve_application(application=application, actor=people.user("b_reviewer"))
    headers = _token_headers(people, "a_finance")
    url = f"/api/v1/aid/applications/{application.pk}/pay"
    first = _post(url, {"method": "bank"}, headers, "pay-1")
    second = _post(url, {"method": "bank"}, headers, "pay-1")
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    with scopes_disabled():
        assert Disbursement.objects.filter(application=application).count() == 1


def test_a_double_submitted_application_form_files_once(people):
    programme, member = make_programme(people), make_member(people)
    client = _cadre_client(people, "b_clerk")
    url = f"/aid/applications/new/?node={people.c.pk}&programme={programme.pk}"
    text = client.get(url).content.decode()
    assert 'name="form_token"' in text
    token = text.split('name="form_token" value="')[1].split('"')[0]
    form = {"programme": programme.pk, "id_number": member.id_number, "reason": "子女上学困难", "amount": "300",
            "form_token": token}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    with scopes_disabled():
        assert Application.objects.count() == 1
