"""The demo loaders of contests and the model-worker register: they run through the services (so
the data is valid), leave a published contest with a title in the register, and run twice safely."""

import pytest
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role
from gonghui.contests import demo as contests_demo
from gonghui.contests.models import Award, Contest, RoundStatus
from gonghui.modelworkers import demo as modelworkers_demo
from gonghui.modelworkers.models import Care, Honour, ModelWorker
from tests.contests.kit import enterprise
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_gives_the_finals_title(tree):
    with scopes_disabled():
        for username, role in (("county_admin", Role.ADMIN), ("county_clerk", Role.CLERK),
                               ("county_reviewer", Role.REVIEWER), ("county_finance", Role.FINANCE)):
            make_user(username, node=tree.a, roles=[role])
        for i in range(4):
            enterprise(tree, name=f"青山第{i + 1}机械有限公司", employees=100 + i)
        for _ in range(2):
            modelworkers_demo.load()
            contests_demo.load()
        contest = Contest.objects.get()
        assert {r.status for r in contest.rounds.all()} == {RoundStatus.AWARDED}
        assert Award.objects.filter(entry__round__stage="county", tier="first").count() >= 1
        assert Honour.objects.filter(title="青山县技术能手", contest_award__isnull=False).exists()
        assert ModelWorker.objects.count() == len(modelworkers_demo.PEOPLE) + Honour.objects.filter(
            contest_award__isnull=False).count()
        assert Care.objects.filter(kind="recuperation").count() == 3
