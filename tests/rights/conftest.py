import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role, Worker
from gonghui.core.crypto import blind_index
from tests.factories import make_employer, make_user


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return out.getvalue()


PNG = _png()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_worker(phone: str = "13912345678") -> Worker:
    return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


@pytest.fixture
def people(tree):
    """Mediators: the labour bureau's (a mediator role at the county), and one union mediator in B."""
    with scopes_disabled():
        tree.users["labour"] = make_user("labour", node=tree.a, roles=[Role.MEDIATOR])
        tree.users["b_mediator"] = make_user("b_mediator", node=tree.b, roles=[Role.MEDIATOR])
        tree.users["b_reviewer"] = make_user("b_reviewer", node=tree.b, roles=[Role.REVIEWER])
        tree.employer_c = make_employer(tree.b, name="青山精密机械有限公司", union=tree.c)
    return tree


@pytest.fixture
def worker(db):
    return make_worker()


def claim_fields(**over) -> dict:
    fields = {"category": "wage_arrears", "claimant_name": "刘大海", "claimant_phone": "13812345678",
              "employer_name": "青山精密机械有限公司", "facts": "2026年8月至10月工资共三个月未发放，多次讨要无果。",
              "amount_claimed": "18600", "workers_involved": 3, "parties": "车间主任 王某"}
    fields.update(over)
    return fields


def hotline_case(tree, node=None, **over):
    from gonghui.rights.services import claims

    with scopes_disabled():
        return claims.file_claim(channel="hotline", node=node or tree.c, actor=tree.user("a_admin"),
                                 **claim_fields(**over))


def snapshot() -> dict:
    """Every row of the models a rights action could touch (rights, the audit log, accounts, orgs)."""
    from django.apps import apps

    state = {}
    with scopes_disabled():
        for label in ("rights", "core", "accounts", "orgs"):
            for model in apps.get_app_config(label).get_models():
                rows = list(model._base_manager.order_by("pk").values())
                for row in rows:
                    row.pop("last_used_at", None)
                    row.pop("last_login", None)
                state[model._meta.label] = rows
    return state
