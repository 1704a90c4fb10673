import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role, Worker
from gonghui.aid.services import medical, programmes
from gonghui.core.crypto import blind_index
from gonghui.members.services import roster
from tests.factories import make_user, resident_id

YEAR = timezone.localdate().year


@pytest.fixture
def people(tree):
    """Reviewers beside the admins and clerks of the common tree."""
    with scopes_disabled():
        tree.users["a_reviewer"] = make_user("a_reviewer", node=tree.a, roles=[Role.REVIEWER])
        tree.users["b_reviewer"] = make_user("b_reviewer", node=tree.b, roles=[Role.REVIEWER])
        tree.users["a_finance"] = make_user("a_finance", node=tree.a, roles=[Role.FINANCE])
    return tree


def make_member(tree, node=None, *, seq=123, name="王建国", phone="13912345678", birth="19880512"):
    with scopes_disabled():
        return roster.create_member(node=node or tree.c, actor=tree.user("a_admin"), name=name,
                                    id_number=resident_id(birth, seq), phone=phone, employment_form="contract",
                                    joined_on=datetime.date(2024, 3, 1))


def make_programme(tree, *, kind="winter_warmth", budget="10000", levels=1, node=None, period="", **rules):
    with scopes_disabled():
        return programmes.create_programme(
            node=node or tree.a, actor=tree.user("a_admin"), kind=kind, name=f"{YEAR}年测试{kind}", year=YEAR,
            period=period, starts_on=datetime.date(YEAR, 1, 1), ends_on=datetime.date(YEAR, 12, 31),
            review_levels=levels, standard_amount=rules.pop("standard_amount", None), budget=budget, **rules)


def make_medical(tree, budget="100000"):
    return make_programme(tree, kind="medical_mutual_aid", budget=budget, enrolment_fee="60", deductible="1000",
                          ratio="0.6", cap_per_claim="20000", cap_per_year="30000")


def worker_for(phone="13912345678"):
    with scopes_disabled():
        worker, _ = Worker.objects.get_or_create(phone_hash=blind_index(phone, purpose="phone"),
                                                 defaults={"phone": phone})
    return worker


def enrol(tree, programme, member):
    with scopes_disabled():
        return medical.enrol_member(programme=programme, member=member, actor=tree.user("b_clerk"))


def claim_data(**over):
    data = {"hospital": "青山县人民医院", "diagnosis": "骨折", "admitted_on": datetime.date(YEAR, 3, 2),
            "discharged_on": datetime.date(YEAR, 3, 12), "bills_total": "12000.00", "eligible": "9000",
            "bills": [{"number": "A001", "amount": "8000"}, {"number": "A002", "amount": "4000.00"}]}
    data.update(over)
    return data


D = Decimal


def snapshot() -> dict:
    """Every row of the aid tables, the roster and the audit log (other modules' tables may be
    half-built while they are developed beside this one)."""
    from django.apps import apps

    state = {}
    with scopes_disabled():
        for model in apps.get_models():
            if model._meta.app_label in ("aid", "members", "core"):
                state[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return state
