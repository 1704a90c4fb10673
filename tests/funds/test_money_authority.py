"""Issue 16, finding 1 in funds: whoever approved the spending may not pay it. A project's subsidy
is paid by a finance officer who neither approved the project nor accepted its works, and a payment
is never approved by whoever prepared it (already true). Nothing changes on a refusal."""

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.core.errors import DomainError
from gonghui.funds import selectors
from gonghui.funds.models import LedgerEntry, Payment, PaymentStatus, ProjectState
from gonghui.funds.services import ledger, projects
from tests.factories import make_user
from tests.funds.kit import advance, project_at, setup
from tests.test_scope_proof import snapshot


@pytest.fixture
def funds(tree):
    return setup(tree)


def test_the_officer_who_accepted_a_project_cannot_pay_its_subsidy(tree, funds):
    with scopes_disabled():
        mixed = make_user("b_mixed", node=tree.b, roles=[Role.REVIEWER, Role.FINANCE])
        project = advance(tree, project_at(tree, tree.c), until=ProjectState.COMPLETED)
        projects.accept_project(project=project, actor=mixed, checklist={item: True for item in project.kind.standard},
                        notes="四有齐全")
        projects.request_subsidy(project=project, actor=tree.user("b_admin"))
        payment = Payment.objects.get(project=project, status=PaymentStatus.PREPARED)
        before = snapshot()
        with pytest.raises(DomainError) as err:
            ledger.approve_payment(payment=payment, actor=mixed)
        assert err.value.code == "approver_pays"
        assert snapshot() == before
        assert not selectors.can_approve(mixed, payment)
        ledger.approve_payment(payment=payment, actor=tree.user("b_fin"))
        assert LedgerEntry.objects.filter(payment=payment).count() == 1


def test_the_officer_who_approved_a_project_after_publicity_cannot_pay_its_subsidy(tree, funds):
    with scopes_disabled():
        mixed = make_user("b_mixed", node=tree.b, roles=[Role.REVIEWER, Role.FINANCE])
        project = advance(tree, project_at(tree, tree.c), until=ProjectState.PUBLICITY)
        projects.approve_project(project=project, actor=mixed)
        project = advance(tree, project, until=ProjectState.ACCEPTED)
        projects.request_subsidy(project=project, actor=tree.user("b_admin"))
        payment = Payment.objects.get(project=project, status=PaymentStatus.PREPARED)
        with pytest.raises(DomainError) as err:
            ledger.approve_payment(payment=payment, actor=mixed)
        assert err.value.code == "approver_pays"
