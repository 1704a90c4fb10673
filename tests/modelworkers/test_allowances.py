"""Special allowances to model workers (劳模补助, 特殊困难帮扶 …) are paid through the aid module's
ledger rules: entered from the register, approved by someone else, paid by a third person, reversed
by a reversing row; amounts are Decimal; the register entry and the figures show them. Refused input
changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.aid.models import Application, Disbursement
from gonghui.aid.services import applications, programmes
from gonghui.core.errors import DomainError
from gonghui.core.indicators import Period
from gonghui.modelworkers import selectors, services
from gonghui.modelworkers.models import Allowance
from gonghui.orgs.models import Node
from gonghui.stats import selectors as stats
from tests.factories import make_user
from tests.scope_kit import _member

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(tree, unscoped, clock):
    clock.move_to("2026-06-01T10:00")
    tree.users["a_reviewer"] = make_user("a_reviewer", node=tree.a, roles=[Role.REVIEWER])
    tree.users["a_finance"] = make_user("a_finance", node=tree.a, roles=[Role.FINANCE])
    programme = programmes.create_programme(
        node=tree.a, actor=tree.user("a_admin"), kind="consolation", name="2026年劳模专项补助", year=2026,
        period="", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31), review_levels=1,
        standard_amount=None, budget="10000")
    person = services.register_person(node=tree.b, actor=tree.user("b_admin"), name="朱美娟", level="city",
                                      title="湖州市劳动模范", year=2021)
    person = services.link_member(person=person, actor=tree.user("b_admin"), member=_member(tree, tree.c))
    return programme, person


def _enter(tree, programme, person, amount="1200.50", kind="subsidy"):
    return services.enter_allowance(person=person, actor=tree.user("b_admin"), programme=programme, kind=kind,
                                    amount=amount, reason="低收入劳模生活补助")


def test_entered_approved_and_paid_by_three_people_then_reversed(tree, setting):
    programme, person = setting
    allowance = _enter(tree, programme, person)
    application = allowance.application
    assert application.amount_requested == Decimal("1200.50") and application.entered_by == tree.user("b_admin")
    assert application.reason.startswith("劳模补助") or application.reason.startswith("Model-worker allowance")
    with pytest.raises(DomainError) as exc:  # whoever entered does not approve
        applications.approve_application(application=application, actor=tree.user("b_admin"))
    assert exc.value.code == "own_entry"
    applications.approve_application(application=application, actor=tree.user("a_reviewer"))
    with pytest.raises((DomainError, PermissionDenied)):  # whoever approved does not pay
        applications.pay_application(application=application, actor=tree.user("a_reviewer"))
    with pytest.raises(DomainError) as exc:  # an admin who approved does not pay either
        other = _enter(tree, programme, services.link_member(
            person=services.register_person(node=tree.b, actor=tree.user("b_admin"), name="钱志华", level="county",
                                            title="青山县劳动模范", year=2020),
            actor=tree.user("b_admin"), member=_member(tree, tree.c)))
        applications.approve_application(application=other.application, actor=tree.user("a_admin"))
        applications.pay_application(application=other.application, actor=tree.user("a_admin"))
    assert exc.value.code == "approver_pays"
    applications.pay_application(application=application, actor=tree.user("a_finance"), paid_on=datetime.date(2026, 5, 20))
    [row] = selectors.allowances_of(person)
    assert row.paid == Decimal("1200.50") and row.application.status == "paid"
    applications.reverse_disbursement(application=application, actor=tree.user("a_finance"), reason="账号错误，退回")
    [row] = selectors.allowances_of(person)
    assert row.paid == Decimal("0.00") and row.application.status == "approved"
    assert sorted(Disbursement.objects.values_list("amount", flat=True)) == [Decimal("-1200.50"), Decimal("1200.50")]


def test_figures_count_people_paid_and_the_net_amount(tree, setting):
    programme, person = setting
    first = _enter(tree, programme, person).application
    applications.approve_application(application=first, actor=tree.user("a_reviewer"))
    applications.pay_application(application=first, actor=tree.user("a_finance"), paid_on=datetime.date(2026, 5, 20))
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "year")
    figures = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), period)
    assert figures["modelworkers.allowance_people"] == 1
    assert figures["modelworkers.allowance_paid"] == Decimal("1200.50")
    assert selectors.year_summary(year=2026)["allowances"] == {"people": 1, "paid": Decimal("1200.50")}
    applications.reverse_disbursement(application=first, actor=tree.user("a_finance"), reason="账号错误，退回")
    figures = stats.evaluate_node(Node.objects.get(pk=tree.a.pk), period)
    assert figures["modelworkers.allowance_people"] == 0 and not figures["modelworkers.allowance_paid"]
    assert selectors.year_summary(year=2026)["allowances"]["people"] == 0


def test_refused_input_changes_nothing(tree, setting):
    programme, person = setting
    for bad in ("-5", "0", "12.345", "abc"):
        with pytest.raises(ValidationError):
            _enter(tree, programme, person, amount=bad)
    with pytest.raises(ValidationError):
        _enter(tree, programme, person, kind="bonus")
    with pytest.raises(PermissionDenied):  # a viewer, and a sibling township, do not enter allowances
        services.enter_allowance(person=person, actor=tree.user("b_viewer"), programme=programme, kind="subsidy",
                                 amount="100", reason="补助")
    with pytest.raises(PermissionDenied):
        services.enter_allowance(person=person, actor=tree.user("d_admin"), programme=programme, kind="subsidy",
                                 amount="100", reason="补助")
    unlinked = services.register_person(node=tree.b, actor=tree.user("b_admin"), name="钱志华", level="county",
                                        title="青山县劳动模范", year=2020)
    with pytest.raises(DomainError) as exc:
        _enter(tree, programme, unlinked)
    assert exc.value.code == "not_linked"
    _enter(tree, programme, person)
    with pytest.raises(DomainError) as exc:  # one live application per person and programme period
        _enter(tree, programme, person, kind="hardship")
    assert exc.value.code == "already_applied"
    assert Allowance.objects.count() == 1 and Application.objects.count() == 1


def test_the_register_entry_shows_the_allowance_and_enters_one(client, tree, setting):
    programme, person = setting
    client.force_login(tree.user("b_admin"))
    response = client.post(reverse("modelworkers:allowance_add", args=[person.pk]), {
        "kind": "hardship", "programme": programme.pk, "amount": "800", "reason": "家人重病"})
    assert response.status_code == 302
    allowance = Allowance.objects.get()
    assert allowance.kind == "hardship" and allowance.application.amount_requested == Decimal("800")
    page = client.get(reverse("modelworkers:detail", args=[person.pk])).content.decode()
    assert "2026年劳模专项补助" in page and "800" in page
    response = client.post(reverse("modelworkers:allowance_add", args=[person.pk]), {
        "kind": "hardship", "programme": programme.pk, "amount": "-3", "reason": "家人重病"}, follow=True)
    assert Allowance.objects.count() == 1 and response.status_code == 200


def test_the_api_shows_the_allowance_on_the_person(tree, setting):
    from django.test import Client

    from gonghui.accounts.services import create_api_token

    programme, person = setting
    application = _enter(tree, programme, person).application
    applications.approve_application(application=application, actor=tree.user("a_reviewer"))
    applications.pay_application(application=application, actor=tree.user("a_finance"), paid_on=datetime.date(2026, 5, 20))
    _token, key = create_api_token(user=tree.user("b_admin"), name="test")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(f"/api/v1/modelworkers/{person.pk}").json()
    [row] = body["allowances"]
    assert (row["kind"], row["status"], row["amount_approved"], row["paid"]) == ("subsidy", "paid", "1200.50",
                                                                               "1200.50")
