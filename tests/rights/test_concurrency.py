"""Two cadres closing the same case at once: one close. Real threads and a barrier, on PostgreSQL."""


import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError
from gonghui.rights.models import Case, CaseEvent, Stage
from gonghui.rights.services import cases, claims
from tests.concurrency import race
from tests.factories import make_tree, make_user

from .conftest import claim_fields

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'",
                       reason="concurrent transactions need PostgreSQL; SQLite has one writer"),
]


def test_two_cadres_closing_the_same_case_close_it_once():
    assert connection.vendor == "postgresql"
    with scopes_disabled():
        tree = make_tree()
        other = make_user("b_admin2", node=tree.b, roles=["admin"])
        case = claims.file_claim(channel="hotline", node=tree.c, actor=tree.user("b_admin"), **claim_fields())
        for name in ("accept", "assign", "investigate", "mediate"):
            cases.move_case(case=case, name=name, actor=tree.user("b_admin"),
                       **({"handler": other} if name == "assign" else {}))
        first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    results = race(
        lambda: cases.move_case(case=first, name="close", actor=tree.user("b_admin"), outcome="调解成功", amount_recovered="500"),
        lambda: cases.move_case(case=second, name="close", actor=other, outcome="调解成功", amount_recovered="800"),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and errors[0].code == "case_changed"
    with scopes_disabled():
        case.refresh_from_db()
        assert case.stage == Stage.CLOSED
        assert CaseEvent.objects.filter(case=case, to_stage=Stage.CLOSED).count() == 1


def test_two_digest_runs_at_once_send_one_digest():
    import datetime

    from django.utils import timezone

    from gonghui.core.notify import MemoryNotifier
    from gonghui.orgs import services as orgs
    from gonghui.rights.models import DigestRun
    from gonghui.rights.services.digest import send_digest

    with scopes_disabled():
        tree = make_tree()
        case = claims.file_claim(channel="hotline", node=tree.c, actor=tree.user("b_admin"), **claim_fields())
        Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
        orgs.add_staff(node=tree.c, actor=tree.user("a_admin"), name="陈主席", kind="vice_chair",
                       started_on=datetime.date(2024, 1, 1), phone="13700001111")
    MemoryNotifier.outbox.clear()
    results = race(send_digest, send_digest, send_digest)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.sent for r in results) == [False, False, True]
    assert len(MemoryNotifier.outbox) == 1
    run = DigestRun.objects.get()
    assert run.repeats == 2 and run.messages == 1
