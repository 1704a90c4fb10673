import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.models import Role, Worker
from gonghui.aid.models import Application, Programme
from gonghui.core.crypto import blind_index
from gonghui.core.sessions import SAVED_AT
from gonghui.members.services import roster
from gonghui.rights.services import cases, claims
from tests.factories import make_user, resident_id

PHONE = "13912345678"


def make_worker(phone: str = PHONE) -> Worker:
    with scopes_disabled():
        return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def phone_client(worker) -> Client:
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


def make_member(tree, *, node=None, phone=PHONE, name="王建国", seq=123):
    with scopes_disabled():
        return roster.create_member(node=node or tree.c, actor=tree.user("a_admin"), name=name,
                                    id_number=resident_id("19880512", seq), phone=phone, employment_form="contract",
                                    joined_on=datetime.date(2024, 3, 1))


def make_claim(tree, worker, *, close=False):
    with scopes_disabled():
        case = claims.file_claim(channel="phone", worker=worker, node=tree.b, category="wage_arrears",
                                 claimant_name="王建国", employer_name="青山精密机械有限公司",
                                 facts="三个月工资未发放，共计一万八千六百元。", amount_claimed="18600", workers_involved=1)
        if close:
            admin = tree.user("a_admin")
            case = cases.move_case(case=case, name="decline", actor=admin, reason="不属于工会受理范围")
    return case


def make_aid(tree, worker, *, status, name="王建国"):
    """An aid application row in a given state (the aid workflow itself is tested in tests/aid)."""
    with scopes_disabled():
        programme = Programme.objects.filter(node=tree.a).first()
        if programme is None:
            from tests.aid.conftest import make_programme

            programme = make_programme(tree)
        return Application.objects.create(
            programme=programme, node=tree.b, worker=worker, name=name, id_number=resident_id("19880512", 123),
            person_hash=blind_index(resident_id("19880512", 123) + str(status), purpose="person"),
            reason="家庭困难", amount_requested=Decimal("1000"), amount_approved=Decimal("1000"), status=status,
            channel="worker")


@pytest.fixture
def people(tree):
    with scopes_disabled():
        tree.users["b_reviewer"] = make_user("b_reviewer", node=tree.b, roles=[Role.REVIEWER])
    return tree


@pytest.fixture
def gate(settings):
    settings.GONGHUI_PRIVACY_NOTICE_REQUIRED = True
    return settings
