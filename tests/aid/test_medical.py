"""Medical mutual aid: enrolment, claims with bills, payout by the programme's rules."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from gonghui.aid.models import Application
from gonghui.aid.services import applications as apps
from gonghui.aid.services import medical
from gonghui.core.errors import DomainError

from .conftest import YEAR, claim_data, enrol, make_medical, make_member, snapshot, worker_for

pytestmark = pytest.mark.usefixtures("unscoped")


def test_payout_is_computed_step_by_step(people):
    programme = make_medical(people)
    payout, steps = medical.compute_payout(programme=programme, eligible=Decimal("9000"), used=Decimal("0"))
    # (9000 - 1000) × 60% = 4800, under the caps
    assert payout == Decimal("4800.00")
    assert [s["step"] for s in steps] == ["eligible", "deductible", "ratio", "cap_claim", "cap_year"]
    payout, _ = medical.compute_payout(programme=programme, eligible=Decimal("50000"), used=Decimal("0"))
    assert payout == Decimal("20000.00")  # cap per claim
    payout, _ = medical.compute_payout(programme=programme, eligible=Decimal("50000"), used=Decimal("25000"))
    assert payout == Decimal("5000.00")  # what is left of the yearly cap
    payout, _ = medical.compute_payout(programme=programme, eligible=Decimal("800"), used=Decimal("0"))
    assert payout == Decimal("0.00")  # below the deductible


def test_worker_claims_and_the_approved_payout_respects_the_yearly_cap(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    worker = worker_for()
    first = medical.submit_claim(programme=programme, member=member, worker=worker,
                                 **claim_data(bills_total="60000", eligible="50000",
                                              bills=[{"number": "B1", "amount": "60000"}]))
    assert first.amount_requested == Decimal("20000.00") and first.claim.bills.count() == 1
    second = medical.submit_claim(programme=programme, member=member, worker=worker,
                                  **claim_data(bills_total="60000", eligible="50000",
                                               bills=[{"number": "B2", "amount": "60000"}]))
    apps.approve_application(application=first, actor=people.user("b_reviewer"))
    approved = apps.approve_application(application=second, actor=people.user("b_reviewer"))
    assert approved.amount_approved == Decimal("10000.00")  # 30,000 a year, 20,000 already approved
    assert Application.objects.get(pk=second.pk).claim.steps[-1]["used"] == "20000.00"


def test_a_claim_whose_bills_do_not_add_up_is_refused(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        medical.submit_claim(programme=programme, member=member, worker=worker_for(),
                             **claim_data(bills_total="12500"))
    assert "12000.00" in exc.value.message_dict["bills"][0]
    for bad in ({"eligible": "13000"}, {"bills": [{"number": "A1", "amount": "-5"}]},
                {"bills": [{"number": "A1", "amount": "NaN"}]}, {"bills": []},
                {"discharged_on": claim_data()["admitted_on"].replace(day=1)}, {"hospital": "<b>x</b>"}):
        with pytest.raises(ValidationError):
            medical.submit_claim(programme=programme, member=member, worker=worker_for(), **claim_data(**bad))
    assert snapshot() == before


def test_claims_need_an_enrolment_and_enrolment_is_once_a_year(people):
    programme = make_medical(people)
    member = make_member(people)
    with pytest.raises(DomainError) as exc:
        medical.submit_claim(programme=programme, member=member, worker=worker_for(), **claim_data())
    assert exc.value.code == "not_enrolled"
    enrolment = enrol(people, programme, member)
    assert enrolment.fee == Decimal("60.00") and enrolment.covers_from.year == YEAR
    with pytest.raises(DomainError) as exc:
        enrol(people, programme, member)
    assert exc.value.code == "already_enrolled"


def test_claim_below_the_deductible_is_refused(people):
    programme = make_medical(people)
    member = make_member(people)
    enrol(people, programme, member)
    with pytest.raises(DomainError) as exc:
        medical.submit_claim(programme=programme, member=member, worker=worker_for(),
                             **claim_data(bills_total="900", eligible="900", bills=[{"number": "X", "amount": "900"}]))
    assert exc.value.code == "nothing_payable"


def test_bad_medical_rules_are_refused(people):
    from .conftest import make_programme

    with scopes_disabled(), pytest.raises(ValidationError):
        make_programme(people, kind="medical_mutual_aid", enrolment_fee="60", deductible="1000", ratio="1.5",
                       cap_per_claim="20000", cap_per_year="30000")
