import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role, Worker
from gonghui.core.crypto import blind_index
from tests.factories import make_user, resident_id


@pytest.fixture
def people(tree):
    """Reviewers on both townships, for flows that need two sides."""
    with scopes_disabled():
        tree.users["b_reviewer"] = make_user("b_reviewer", node=tree.b, roles=[Role.REVIEWER])
        tree.users["d_reviewer"] = make_user("d_reviewer", node=tree.d, roles=[Role.REVIEWER])
        tree.users["d_clerk"] = make_user("d_clerk", node=tree.d, roles=[Role.CLERK])
    return tree


@pytest.fixture
def worker(db):
    phone = "13912345678"
    return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def person(seq: int = 123, birth: str = "19900101") -> dict:
    return {"name": "李春梅", "id_number": resident_id(birth=birth, seq=seq)}
