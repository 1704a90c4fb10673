"""Copy from last term: every activity of a term becomes a draft of a new term, dates shifted."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.activities.models import Activity, Session, State, Term
from gonghui.activities.services import catalogue
from gonghui.core.errors import DomainError

from .conftest import make_activity
from .test_views import cadre


@pytest.fixture
def spring(tree):
    with scopes_disabled():
        term = catalogue.create_term(node=tree.b, actor=tree.user("b_admin"), name="2026年春季", per_person_limit=3)
        dance = make_activity(tree, tree.b, term=term, title="拉丁舞入门班", sessions=8, capacity=30)
        make_activity(tree, tree.c, term=term, title="茶艺班", publish=False)
        dropped = make_activity(tree, tree.b, term=term, title="停开的课")
        catalogue.cancel_activity(activity=dropped, actor=tree.user("b_admin"), reason="报名人数不足")
    return term, dance


def test_a_term_is_copied_as_drafts_with_every_date_moved(tree, spring):
    term, dance = spring
    with scopes_disabled():
        new = catalogue.copy_term(term=term, actor=tree.user("b_admin"), name="2026年秋季", shift_days=182)
        copies = {a.title: a for a in new.activities.all()}
        assert set(copies) == {"拉丁舞入门班", "茶艺班"}  # the cancelled one is left behind
        copy = copies["拉丁舞入门班"]
        shift = datetime.timedelta(days=182)
        assert copy.state == State.DRAFT and copy.copied_from_id == dance.pk and copy.taken == 0
        assert new.per_person_limit == 3 and copy.node_id == tree.b.pk and copies["茶艺班"].node_id == tree.c.pk
        for field in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at"):
            assert getattr(copy, field) == getattr(dance, field) + shift
        old = list(Session.objects.filter(activity=dance).values_list("starts_at", flat=True))
        moved = list(Session.objects.filter(activity=copy).values_list("starts_at", flat=True))
        assert len(moved) == 8 and moved == [s + shift for s in old]


@pytest.mark.parametrize("name,shift", [("2026年秋季", 0), ("2026年秋季", 731), ("2026年春季", 182), ("", 182)])
def test_a_bad_copy_is_refused_and_nothing_is_made(tree, spring, name, shift):
    term, _dance = spring
    with scopes_disabled():
        before = (Term.objects.count(), Activity.objects.count())
        with pytest.raises((DomainError, ValidationError)):
            catalogue.copy_term(term=term, actor=tree.user("b_admin"), name=name, shift_days=shift)
        assert (Term.objects.count(), Activity.objects.count()) == before


def test_the_console_copies_and_lands_on_the_drafts(tree, spring):
    term, _dance = spring
    client = cadre(tree)
    assert reverse("activities:term_copy", args=[term.pk]) in client.get(reverse("activities:terms")).content.decode()
    response = client.post(reverse("activities:term_copy", args=[term.pk]), {"name": "2026年秋季", "shift_days": 182})
    assert response.status_code == 302 and "state=draft" in response["Location"]
    with scopes_disabled():
        assert Term.objects.get(name="2026年秋季").activities.count() == 2
    viewer = cadre(tree, "b_viewer").post(reverse("activities:term_copy", args=[term.pk]),
                                          {"name": "2027年春季", "shift_days": 365})
    assert viewer.status_code == 403
    with scopes_disabled():
        assert not Term.objects.filter(name="2027年春季").exists()
