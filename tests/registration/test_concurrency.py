"""Races the database settles: two office reviewers deciding one application at once, two tabs
filing for one union. Real threads and a barrier, on PostgreSQL (SQLite serializes writers)."""

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.registration.models import Application, Registration, RegistrationVersion
from gonghui.registration.services import applications, offices
from tests.concurrency import POSTGRESQL_ONLY, race
from tests.factories import make_tree, make_user

from .conftest import filed, union_code

pytestmark = [
    pytest.mark.django_db(transaction=True),
    POSTGRESQL_ONLY,
]


def test_two_reviewers_deciding_at_once_register_once(settings, tmp_path):
    assert connection.vendor == "postgresql"
    settings.GONGHUI_REGISTRATION_KEY_DIR = tmp_path  # no key: the race is about the register
    with scopes_disabled():
        tree = make_tree()
        offices.designate_office(node=tree.a, actor=None)
        r1 = make_user("r1", node=tree.a, roles=[Role.REVIEWER])
        r2 = make_user("r2", node=tree.a, roles=[Role.REVIEWER])
        application = filed(tree)
    code = union_code()
    results = race(lambda: applications.approve_application(application=application, actor=r1, credit_code=code),
                   lambda: applications.return_application(application=application, actor=r2,
                                                           reasons={"form": "材料不齐"}))
    with scopes_disabled():
        assert sum(isinstance(r, Exception) for r in results) == 1
        assert Registration.objects.count() == RegistrationVersion.objects.count() == \
            (1 if Application.objects.get().status == "approved" else 0)


def test_two_tabs_filing_for_one_union_make_one_application():
    with scopes_disabled():
        tree = make_tree()
        offices.designate_office(node=tree.a, actor=None)
        admin = tree.user("b_admin")
    results = race(*[lambda: applications.create_application(node=tree.c, kind="establish", actor=admin)] * 2)
    with scopes_disabled():
        assert Application.objects.count() == 1
        assert [getattr(r, "code", None) for r in results if isinstance(r, Exception)] == ["open_application"]
