"""Issue 16, finding 1: a township spent county aid money without limit and one person approved
and paid. Sub-budgets are carved out of the budget above (never more than it has left), an
application stays within the programme's standard unless a reviewer of the organizing union raises
it with a reason, and whoever approved may not pay."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from gonghui.aid.models import Application, Budget, Disbursement, Status
from gonghui.aid.services import applications as apps
from gonghui.aid.services import programmes
from gonghui.core.audit import AuditEntry
from gonghui.core.errors import DomainError, NotPermitted
from tests.test_scope_proof import _cadre_client

from .conftest import make_member, make_programme, snapshot


@pytest.fixture
def county(people):
    """The county's winter-warmth programme: 30,000 yuan, standard amount 500 yuan."""
    return make_programme(people, budget="30000", standard_amount="500")


def _budget(programme, node):
    with scopes_disabled():
        return Budget.objects.filter(programme=programme, node=node).first()


# --- the scenario of the issue, over HTTP ------------------------------------------------------------

def test_a_township_admin_cannot_grant_its_enterprise_a_million_of_the_countys_30000(people, county):
    client = _cadre_client(people, "b_admin")
    before = snapshot()
    response = client.post(f"/aid/programmes/{county.pk}/budget/", {"node": people.c.code, "amount": "1000000"},
                           follow=True)
    assert response.status_code == 200
    assert "城关镇总工会" in response.content.decode()  # the refusal names whose share is missing
    assert snapshot() == before
    assert _budget(county, people.c) is None


def test_a_sub_budget_never_exceeds_what_the_union_above_has_left(people, county):
    a_admin, b_admin = people.user("a_admin"), people.user("b_admin")
    with scopes_disabled():
        programmes.set_budget(programme=county, node=people.b, amount="20000", actor=a_admin)
        assert _budget(county, people.a).carved == Decimal("20000")
        before = snapshot()
        with pytest.raises(DomainError) as err:  # the county has 10,000 left
            programmes.set_budget(programme=county, node=people.d, amount="10000.01", actor=a_admin)
        assert err.value.code == "over_parent_budget" and "10,000.00" in err.value.message
        with pytest.raises(DomainError) as err:  # B hands down at most its own 20,000
            programmes.set_budget(programme=county, node=people.c, amount="1000000", actor=b_admin)
        assert err.value.code == "over_parent_budget" and "20,000.00" in err.value.message
        assert snapshot() == before
        programmes.set_budget(programme=county, node=people.c, amount="5000", actor=b_admin)
        assert _budget(county, people.b).carved == Decimal("5000")
        # the county cannot lower its budget below what it handed down
        with pytest.raises(DomainError) as err:
            programmes.set_budget(programme=county, node=people.a, amount="19999", actor=a_admin)
        assert err.value.code == "budget_below_committed"
        # lowering a share gives the difference back to the union above
        programmes.set_budget(programme=county, node=people.c, amount="2000", actor=b_admin)
        assert _budget(county, people.b).carved == Decimal("2000")


def test_a_township_without_a_share_cannot_carve_from_the_countys_budget(people, county):
    with scopes_disabled():
        before = snapshot()
        with pytest.raises(DomainError) as err:
            programmes.set_budget(programme=county, node=people.c, amount="100", actor=people.user("b_admin"))
        assert err.value.code == "no_parent_budget"
        assert snapshot() == before


def test_an_application_above_the_standard_is_refused_at_entry(people, county):
    member = make_member(people)
    with scopes_disabled():
        before = snapshot()
        with pytest.raises(DomainError) as err:
            apps.create_application(programme=county, member=member, actor=people.user("b_clerk"),
                                    reason="家中老人重病", amount="200000")
        assert err.value.code == "above_standard" and "500.00" in err.value.message
        assert snapshot() == before


def test_only_a_reviewer_of_the_organizing_union_raises_the_amount_with_a_reason(people, county):
    member = make_member(people)
    with scopes_disabled():
        application = apps.create_application(programme=county, member=member, actor=people.user("b_clerk"),
                                              reason="家中老人重病", amount="500")
        before = snapshot()
        with pytest.raises(NotPermitted):  # the township's reviewer is not at the programme's owner
            apps.raise_amount(application=application, actor=people.user("b_reviewer"), amount="3000",
                              reason="重病住院，标准不足")
        with pytest.raises(Exception) as err:  # a raise needs its reason
            apps.raise_amount(application=application, actor=people.user("a_reviewer"), amount="3000", reason=" ")
        assert "reason" in str(err.value.message_dict)
        assert snapshot() == before
        apps.raise_amount(application=application, actor=people.user("a_reviewer"), amount="3000",
                          reason="重病住院，标准不足")
        application.refresh_from_db()
        assert application.amount_requested == Decimal("3000")
        assert application.raised_by == people.user("a_reviewer") and application.raise_reason == "重病住院，标准不足"
        entry = AuditEntry.objects.filter(action="aid.application.amount_raised").get()
        assert entry.data["amount"] == "3000.00" and entry.data["standard"] == "500.00"
        apps.approve_application(application=application, actor=people.user("b_reviewer"))
        assert Application.objects.get(pk=application.pk).amount_approved == Decimal("3000")


def test_whoever_entered_an_application_cannot_raise_it(people, county):
    with scopes_disabled():
        application = apps.create_application(programme=county, member=make_member(people),
                                              actor=people.user("a_admin"), reason="家中老人重病", amount="500")
        with pytest.raises(DomainError) as err:
            apps.raise_amount(application=application, actor=people.user("a_admin"), amount="3000",
                              reason="重病住院，标准不足")
        assert err.value.code == "own_entry"


def test_whoever_approved_may_not_pay(people, county):
    member = make_member(people)
    with scopes_disabled():
        application = apps.create_application(programme=county, member=member, actor=people.user("b_clerk"),
                                              reason="家中老人重病", amount="500")
        apps.approve_application(application=application, actor=people.user("b_admin"))
        before = snapshot()
        with pytest.raises(DomainError) as err:
            apps.pay_application(application=application, actor=people.user("b_admin"))
        assert err.value.code == "approver_pays"
        assert snapshot() == before
        assert not Disbursement.objects.exists()
        apps.pay_application(application=application, actor=people.user("a_finance"))
        assert Application.objects.get(pk=application.pk).status == Status.PAID


def test_a_medical_claims_approver_may_not_pay_it(people):
    from gonghui.aid.services import medical

    from .conftest import claim_data, enrol, make_medical, worker_for

    programme, member = make_medical(people), make_member(people)
    enrol(people, programme, member)
    with scopes_disabled():
        claim = medical.submit_claim(programme=programme, member=member, worker=worker_for(), **claim_data())
        apps.approve_application(application=claim, actor=people.user("b_admin"))
        before = snapshot()
        with pytest.raises(DomainError) as err:
            apps.pay_application(application=claim, actor=people.user("b_admin"))
        assert err.value.code == "approver_pays"
        assert snapshot() == before


def test_the_first_level_reviewer_may_not_pay_either(people):
    programme = make_programme(people, budget="30000", levels=2, period="two")
    member = make_member(people)
    with scopes_disabled():
        application = apps.create_application(programme=programme, member=member, actor=people.user("b_clerk"),
                                              reason="家中老人重病", amount="800")
        apps.pass_first_review(application=application, actor=people.user("b_admin"))
        apps.approve_application(application=application, actor=people.user("a_reviewer"))
        with pytest.raises(DomainError) as err:
            apps.pay_application(application=application, actor=people.user("b_admin"))
        assert err.value.code == "approver_pays"


def test_the_issue_scenario_over_http_changes_nothing(people, county):
    """Clerk files 200,000 (standard 500): refused. The same admin approves a 500 one and pays: refused."""
    member = make_member(people)
    clerk = _cadre_client(people, "b_clerk")
    before = snapshot()
    response = clerk.post(f"/aid/applications/new/?node={people.c.pk}&programme={county.pk}", {
        "programme": county.pk, "id_number": member.id_number, "reason": "家中老人重病", "amount": "200000"})
    assert response.status_code == 200 and "500.00" in response.content.decode()
    assert snapshot() == before
    with scopes_disabled():
        application = apps.create_application(programme=county, member=member, actor=people.user("b_clerk"),
                                              reason="家中老人重病", amount="500")
    admin = _cadre_client(people, "b_admin")
    admin.post(f"/aid/applications/{application.pk}/", {"action": "approve"})
    with scopes_disabled():
        assert Application.objects.get(pk=application.pk).status == Status.APPROVED
        before = snapshot()
    response = admin.post(f"/aid/applications/{application.pk}/", {"action": "pay", "method": "bank"})
    assert response.status_code == 200 and "审批" in response.content.decode()
    assert snapshot() == before


def test_the_raise_is_made_from_the_console_and_the_api(people, county):
    from django.test import Client

    from tests.test_scope_proof import _token_headers

    with scopes_disabled():
        one = apps.create_application(programme=county, member=make_member(people), actor=people.user("b_clerk"),
                                      reason="家中老人重病", amount="500")
        two = apps.create_application(programme=county, actor=people.user("b_clerk"), reason="子女上学困难",
                                      member=make_member(people, seq=321, name="李春梅", phone="13900000321"),
                                      amount="500")
    page = _cadre_client(people, "a_reviewer").post(f"/aid/applications/{one.pk}/", {
        "action": "raise_amount", "amount": "2000", "note": "重病住院，标准不足"})
    assert page.status_code == 302
    api = Client().post(f"/api/v1/aid/applications/{two.pk}/review", {"action": "raise_amount", "amount": "1500",
                        "note": "多子女上学"}, content_type="application/json",
                        headers=_token_headers(people, "b_reviewer"))
    assert api.status_code == 403
    api = Client().post(f"/api/v1/aid/applications/{two.pk}/review", {"action": "raise_amount", "amount": "1500",
                        "note": "多子女上学"}, content_type="application/json",
                        headers=_token_headers(people, "a_reviewer"))
    assert api.status_code == 200 and Decimal(api.json()["amount_requested"]) == 1500
    with scopes_disabled():
        assert Application.objects.get(pk=one.pk).amount_requested == Decimal("2000")
        assert Application.objects.get(pk=one.pk).raise_reason == "重病住院，标准不足"
