"""One person, one page: the member's page (its services panel, fetched after the first paint) links
their claims, aid, wishes, bookings, loans and volunteering, per the viewer's permission; a union's
page shows its code."""

import pytest
from django_scopes import scopes_disabled

from gonghui.aid.models import Status as AidStatus
from tests.console.kit import cadre
from tests.privacy.conftest import make_aid, make_claim, make_member, make_worker

pytestmark = pytest.mark.django_db


def test_the_member_page_links_claims_and_aid_to_those_who_may_open_them(tree):
    worker = make_worker()
    member = make_member(tree)
    case = make_claim(tree, worker)
    aid = make_aid(tree, worker, status=AidStatus.PAID)
    with scopes_disabled():
        type(aid).objects.with_scopes_disabled().filter(pk=aid.pk).update(member=member)
    page = cadre(tree, "b_admin").get(f"/members/{member.pk}/services/").content.decode()
    assert f"/rights/cases/{case.pk}/" in page and case.tracking_code in page
    assert f"/aid/applications/{aid.pk}/" in page
    assert cadre(tree, "b_admin").get(f"/rights/cases/{case.pk}/").status_code == 200
    viewer = cadre(tree, "b_viewer").get(f"/members/{member.pk}/services/")
    if viewer.status_code == 200:  # viewers see the roster masked, not the people in cases and aid
        html = viewer.content.decode()
        assert f"/rights/cases/{case.pk}/" not in html and f"/aid/applications/{aid.pk}/" not in html


def test_a_claim_outside_the_viewers_subtree_does_not_show(tree):
    worker = make_worker()
    member = make_member(tree)
    case = make_claim(tree, worker)
    with scopes_disabled():
        type(case).objects.with_scopes_disabled().filter(pk=case.pk).update(node=tree.d)
    page = cadre(tree, "b_admin").get(f"/members/{member.pk}/services/").content.decode()
    assert case.tracking_code not in page


def test_the_union_page_shows_its_code(tree):
    page = cadre(tree, "b_admin").get(f"/orgs/nodes/{tree.c.pk}/").content.decode()
    assert tree.c.code in page
