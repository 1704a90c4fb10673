"""Objections during the publicity period, and the payment hold (services/objections.py)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.aid import selectors
from gonghui.aid.models import Application, Budget, Disbursement, LedgerKind, Objection, Publicity, Status
from gonghui.aid.services import applications as apps
from gonghui.aid.services import ledger, objections
from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.notify import MemoryNotifier
from gonghui.core.workdays import add_workdays
from tests.test_scope_proof import _cadre_client, _token_headers

from .conftest import make_member, make_programme, snapshot, worker_for
from .test_views import worker_client

TODAY = timezone.localdate()


def _approved(tree, programme, seq=123, name="王建国"):
    with scopes_disabled():
        member = make_member(tree, seq=seq, name=name, phone=f"1391234{seq:04d}")
        application = apps.create_application(programme=programme, member=member, actor=tree.user("b_clerk"),
                                              reason="家中老人重病", amount="800")
        return apps.approve_application(application=application, actor=tree.user("b_reviewer"))


def _published(tree, *applications):
    with scopes_disabled():
        return apps.publish_publicity(programme=applications[0].programme, node=tree.b, actor=tree.user("b_admin"))


@pytest.fixture
def listed(people):
    """A programme (paid before publicity, the SPEC order) with two approved entries, one paid, published."""
    programme = make_programme(people, budget="10000")
    first, second = _approved(people, programme, 123, "王建国"), _approved(people, programme, 124, "李春梅")
    with scopes_disabled():
        apps.pay_application(application=first, actor=people.user("a_finance"))
    return programme, first, second, _published(people, first, second)


def _file(publicity, application, phone="13600000001", **kw):
    with scopes_disabled():
        return objections.file_objection(publicity=publicity, application_id=application.pk, worker=worker_for(phone),
                                         reason=kw.pop("reason", "此人家中有商铺出租，收入较高"), **kw)


def test_the_objection_period_is_counted_in_working_days(listed):
    _programme, _first, _second, publicity = listed
    assert publicity.objection_until == add_workdays(publicity.published_on, 5)


def test_an_objection_after_the_period_is_refused_and_nothing_changes(listed):
    _programme, first, _second, publicity = listed
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        _file(publicity, first, today=publicity.objection_until + datetime.timedelta(days=1))
    assert exc.value.code == "objection_period_over"
    assert snapshot() == before
    _file(publicity, first, today=publicity.objection_until)  # the last day still counts


def test_an_objection_to_an_entry_not_on_the_list_is_refused(people, listed):
    programme, _first, _second, publicity = listed
    elsewhere = _approved(people, programme, 125, "赵小明")  # approved after publication: not on this list
    before = snapshot()
    for entry in (elsewhere, type("Missing", (), {"pk": 999999})()):
        with pytest.raises(DomainError) as exc:
            _file(publicity, entry)
        assert exc.value.code == "not_on_list"
    assert snapshot() == before


def test_the_same_person_cannot_object_twice_to_one_entry(listed):
    _programme, first, second, publicity = listed
    _file(publicity, first)
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        _file(publicity, first, reason="再次提出异议，请认真核实")
    assert exc.value.code == "already_objected"
    assert snapshot() == before
    _file(publicity, second)                         # another entry: fine
    _file(publicity, first, phone="13600000002")     # another person: fine
    with scopes_disabled():
        assert Objection.objects.count() == 3


def test_a_short_reason_or_a_fake_evidence_file_is_refused(listed):
    _programme, first, _second, publicity = listed
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        _file(publicity, first, reason="不")
    assert "reason" in exc.value.message_dict
    fake = SimpleUploadedFile("evidence.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    with pytest.raises(DomainError) as exc:
        _file(publicity, first, evidence=fake)
    assert exc.value.code == "file_type" and exc.value.field == "evidence"
    assert snapshot() == before


def test_upholding_an_objection_to_a_paid_entry_reverses_it_and_releases_the_budget(people, listed,
                                                                                   django_capture_on_commit_callbacks):
    _programme, first, _second, publicity = listed
    objection = _file(publicity, first)
    other = _file(publicity, first, phone="13600000002")
    MemoryNotifier.outbox.clear()
    with scopes_disabled(), django_capture_on_commit_callbacks(execute=True):
        objections.decide_objection(objection=objection, actor=people.user("b_admin"), uphold=True,
                                    note="经核实，家庭收入超过标准")
        first = Application.objects.get(pk=first.pk)
        rows = list(Disbursement.objects.filter(application=first).order_by("seq"))
        budget = Budget.objects.get(pk=first.budget_id)
        assert first.status == Status.REJECTED
        assert [r.kind for r in rows] == [LedgerKind.PAYMENT, LedgerKind.REVERSAL]
        assert rows[1].amount == -rows[0].amount and rows[1].reverses_id == rows[0].pk
        assert budget.committed == first.amount_approved  # only the second entry's 800 is left approved
        assert Objection.objects.get(pk=other.pk).status == "upheld"  # answered by the same decision
        assert ledger.verify_ledger().problems == []
    phones = [phone for phone, _text in MemoryNotifier.outbox]
    assert "13600000001" in phones and first.member.phone in phones


def test_upholding_an_objection_to_an_unpaid_entry_revokes_the_approval(people, listed):
    _programme, _first, second, publicity = listed
    objection = _file(publicity, second)
    with scopes_disabled():
        objections.decide_objection(objection=objection, actor=people.user("b_reviewer"), uphold=True,
                                    note="冒名申请")
        second = Application.objects.get(pk=second.pk)
        assert second.status == Status.REJECTED
        assert not Disbursement.objects.filter(application=second).exists()
        with pytest.raises(DomainError):
            apps.pay_application(application=second, actor=people.user("a_finance"))


def test_payment_is_held_while_an_objection_waits_and_resumes_after_dismissal(people, listed):
    _programme, _first, second, publicity = listed
    objection = _file(publicity, second)
    with scopes_disabled():
        with pytest.raises(DomainError) as exc:
            apps.pay_application(application=second, actor=people.user("a_finance"))
        assert exc.value.code == "payment_held"
        before = snapshot()
        with pytest.raises(ValidationError):
            objections.decide_objection(objection=objection, actor=people.user("b_admin"), uphold=False, note=" ")
        assert snapshot() == before
        objections.decide_objection(objection=objection, actor=people.user("b_admin"), uphold=False,
                                    note="经核实符合条件")
        with pytest.raises(DomainError) as exc:
            objections.decide_objection(objection=objection, actor=people.user("b_admin"), uphold=True, note="再议")
        assert exc.value.code == "objection_decided"
        apps.pay_application(application=second, actor=people.user("a_finance"))
        assert Application.objects.get(pk=second.pk).status == Status.PAID


def test_only_aid_officers_of_the_entrys_subtree_decide(people, listed):
    _programme, first, _second, publicity = listed
    objection = _file(publicity, first)
    before = snapshot()
    with scopes_disabled():
        for who in ("d_admin", "a_finance"):
            with pytest.raises(NotPermitted):
                objections.decide_objection(objection=objection, actor=people.user(who), uphold=True, note="不符合")
    assert snapshot() == before
    response = _cadre_client(people, "d_admin").post(f"/aid/objections/{objection.pk}/decide/",
                                                     {"decision": "uphold", "note": "不符合"})
    assert response.status_code == 404 and snapshot() == before


def test_a_programme_that_pays_after_publicity_holds_payment_until_the_period_has_ended(people):
    programme = make_programme(people, pay_after_publicity=True)
    application = _approved(people, programme)
    with scopes_disabled():
        with pytest.raises(DomainError) as exc:
            apps.pay_application(application=application, actor=people.user("a_finance"))
        assert exc.value.code == "payment_held"
        publicity = _published(people, application)
        with pytest.raises(DomainError) as exc:
            apps.pay_application(application=application, actor=people.user("a_finance"))
        assert exc.value.code == "payment_held" and publicity.objection_until.isoformat() in exc.value.message
        Publicity.objects.filter(pk=publicity.pk).update(objection_until=TODAY - datetime.timedelta(days=1))
        apps.pay_application(application=application, actor=people.user("a_finance"))
        assert Application.objects.get(pk=application.pk).status == Status.PAID


def test_the_public_link_shows_masked_names_and_a_signed_in_worker_objects(people, listed):
    _programme, first, _second, publicity = listed
    token = selectors.publicity_token(publicity)
    url = f"/w/aid/publicity/{token}/"
    page = Client().get(url).content.decode()
    assert "王**" in page and "王建国" not in page and first.id_number not in page and "李**" in page
    anonymous = Client().post(url, {"entry": first.pk, "reason": "此人家中有商铺出租"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/w/login/")
    assert Client().get(url.replace(token, token[:-3] + "xyz")).status_code == 404
    client = worker_client(worker_for("13600000009"))
    photo = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (30, 30), "blue").save(photo, "JPEG")
    response = client.post(url, {"entry": first.pk, "reason": "此人家中有商铺出租，收入较高",
                                 "evidence": SimpleUploadedFile("p.jpg", photo.getvalue(), content_type="image/jpeg")})
    assert response.status_code == 302
    with scopes_disabled():
        objection = Objection.objects.get()
        assert objection.evidence and objection.worker.phone == "13600000009"
    page = client.get(url).content.decode()
    assert 'id="my-objections"' in page
    again = client.post(url, {"entry": first.pk, "reason": "再次提出异议，请核实"})
    assert again.status_code == 200 and "errorlist" in again.content.decode()
    with scopes_disabled():
        assert Objection.objects.count() == 1
    # the officer sees it on the console list with the evidence; the county's sibling does not
    officer = _cadre_client(people, "b_admin").get(f"/aid/publicity/{publicity.pk}/").content.decode()
    assert "此人家中有商铺出租" in officer and f"/aid/objections/{objection.pk}/evidence/" in officer
    evidence = _cadre_client(people, "b_admin").get(f"/aid/objections/{objection.pk}/evidence/")
    assert evidence.status_code == 200 and evidence["X-Content-Type-Options"] == "nosniff"
    assert _cadre_client(people, "d_admin").get(f"/aid/objections/{objection.pk}/evidence/").status_code == 404


def test_the_public_link_refuses_objections_after_the_period(people, listed):
    _programme, first, _second, publicity = listed
    with scopes_disabled():
        Publicity.objects.filter(pk=publicity.pk).update(objection_until=TODAY - datetime.timedelta(days=1))
    url = f"/w/aid/publicity/{selectors.publicity_token(publicity)}/"
    client = worker_client(worker_for("13600000009"))
    assert "id_reason" not in client.get(url).content.decode()
    before = snapshot()
    response = client.post(url, {"entry": first.pk, "reason": "此人家中有商铺出租，收入较高"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert snapshot() == before


def test_api_lists_and_decides_objections_without_n_plus_one(people, listed, django_assert_max_num_queries):
    _programme, first, second, publicity = listed
    for i in range(3):
        _file(publicity, first, phone=f"1360000010{i}")
    objection = _file(publicity, second)
    headers = _token_headers(people, "b_admin")
    client = Client()
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/aid/objections?status=pending", headers=headers)
    assert response.status_code == 200 and response.json()["count"] == 4
    assert {row["entry_masked"] for row in response.json()["items"]} == {"王**", "李**"}
    bad = client.post(f"/api/v1/aid/objections/{objection.pk}/decide", {"decision": "maybe", "note": "x"},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 422
    done = client.post(f"/api/v1/aid/objections/{objection.pk}/decide", {"decision": "dismiss", "note": "经核实符合条件"},
                       content_type="application/json", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    sibling = client.get("/api/v1/aid/objections", headers=_token_headers(people, "d_admin"))
    assert sibling.json()["count"] == 0


def test_the_posted_list_s_link_has_its_own_key_and_lists_posted_before_still_open(listed, settings):
    from django.core import signing
    from django.http import Http404

    _programme, _first, _second, publicity = listed
    posted_before = signing.Signer(salt=selectors.PUBLICITY_SALT).sign(str(publicity.pk))  # the session secret
    with scopes_disabled():
        assert selectors.publicity_by_token(posted_before).pk == publicity.pk
        token = selectors.publicity_token(publicity)
        settings.SECRET_KEY = "a-rotated-session-secret-0123456789abcdefghijklmnopqrstuvwxyz"
        assert selectors.publicity_by_token(token).pk == publicity.pk  # a session secret rotation voids no link
        settings.GONGHUI_QR_SIGNING_KEY = "another-qr-signing-key-0123456789abcdefghijklmnopqrstuvwxyz"
        with pytest.raises(Http404):  # the printed-code key is what signs it
            selectors.publicity_by_token(token)
