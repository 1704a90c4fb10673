import itertools

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.middleware import WORKER_SESSION_KEY
from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.sessions import SAVED_AT
from gonghui.members.services import roster
from tests.factories import resident_id

_phones = itertools.count(1)


def make_worker(phone: str | None = None) -> Worker:
    phone = phone or f"134{next(_phones):08d}"
    with scopes_disabled():
        return Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))


def make_member(tree, node, worker: Worker, seq: int = 301):
    with scopes_disabled():
        return roster.create_member(node=node, actor=tree.user("a_admin"), name="陈晓燕",
                                    id_number=resident_id("19900202", seq), phone=worker.phone,
                                    employment_form="contract")


def signed_in(worker: Worker) -> Client:
    client = Client()
    session = client.session
    session[WORKER_SESSION_KEY] = worker.pk
    session[SAVED_AT] = int(timezone.now().timestamp())  # as the phone sign-in leaves it
    session.save()
    return client


@pytest.fixture
def worker(db):
    return make_worker()
