"""The reads a sign-up makes as plain precompiled SQL (the activity with its term and organizer, the
signed-in worker, the membership in brief): the same objects the ORM builds, read afresh on every
request (docs/activities.md, "What a sign-up costs")."""

import pytest
from django.http import Http404

from gonghui.accounts.middleware import _worker_by_id
from gonghui.accounts.models import Worker
from gonghui.activities import selectors
from gonghui.activities.models import Activity, Term
from gonghui.core.scoping import scopes_disabled
from gonghui.members import selectors as members

from .conftest import make_activity, make_member_worker, make_worker
from .test_flash_statements import _sign_up
from .test_worker_api import worker_client

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_the_activity_read_is_the_orms_row_with_its_term_and_organizer(tree):
    activity = make_activity(tree, capacity=4)
    with scopes_disabled():
        term = Term.objects.create(node=tree.c, name="2026年秋季", per_person_limit=3)
        Activity.objects.filter(pk=activity.pk).update(term=term, taken=1)
        orm = Activity.objects.select_related("term", "node").get(pk=activity.pk)
    read = selectors.activity_for_signup(activity.pk)
    assert _fields(read) == _fields(orm) and read.taken == 1
    assert read.starts_at.tzinfo is not None and read.starts_at == orm.starts_at  # converted as the ORM does
    assert _fields(read.term) == _fields(orm.term) and read.term.per_person_limit == 3
    assert (read.organizer_path, read.organizer_name) == (orm.node.path, orm.node.name)
    assert read._state.adding is False

    with scopes_disabled():
        Activity.objects.filter(pk=activity.pk).update(term=None)
    assert selectors.activity_for_signup(str(activity.pk)).term is None


def test_the_activity_read_refuses_what_a_worker_may_not_open(tree):
    draft = make_activity(tree, publish=False)
    for pk in (draft.pk, 999_999, "x", None):
        with pytest.raises(Http404):
            selectors.activity_for_signup(pk)


def test_the_worker_is_read_afresh_on_every_request(tree):
    activity = make_activity(tree, capacity=5)
    worker = make_worker()
    read = _worker_by_id(worker.pk)
    assert _fields(read) == _fields(Worker.objects.get(pk=worker.pk)) and read.phone == worker.phone
    assert _worker_by_id(999_999) is None and _worker_by_id("x") is None

    client = worker_client(worker)
    key = client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"]
    assert key
    Worker.objects.filter(pk=worker.pk).delete()  # e.g. the account removed meanwhile
    assert client.get(f"/api/v1/w/courses/{activity.pk}").json()["key"] is None  # a visitor now
    assert _sign_up(client, activity, key).status_code == 401


def test_the_membership_in_brief_is_the_orms(tree):
    worker = make_member_worker(tree, tree.c, 41)
    brief = members.member_brief_of_worker(worker)
    full = members.membership_of_worker(worker)
    assert brief == (full.pk, full.name, full.node.path)
    assert members.member_brief_of_worker(make_worker()) is None
