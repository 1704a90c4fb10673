"""Joining without a poster: find the union by employer name, credit code or area; the catch-all
union (兜底入会) where the employer has none; industry federations; then the QR path's own form,
review, consent and deadline. Bad input is refused with a clear message and nothing changed."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.core.masking import mask_name
from gonghui.core.workdays import add_workdays
from gonghui.members.models import ApplicationStatus, JoinApplication, JoinLink
from gonghui.members.services import joining
from gonghui.orgs import services as orgs
from gonghui.orgs.models import Node, NodeKind
from tests.factories import credit_code, make_employer, resident_id
from tests.worker.conftest import make_member, make_worker, signed_in


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree):
    """C (an enterprise union) and B (the township's union) take applications online; D does not.
    One employer has C as its union, one in B's township has none, one under D has none."""
    with scopes_disabled():
        Node.objects.filter(pk=tree.c.pk).update(chair_name="王建国")
        JoinLink.objects.create(node=tree.b)
        JoinLink.objects.create(node=tree.c)
        fed = orgs.create_node(parent=Node.objects.get(pk=tree.a.pk), actor=None, name="青山县快递员工会",
                               kind=NodeKind.NEW_EMPLOYMENT)
        JoinLink.objects.create(node=fed)
        tree.fed = Node.objects.get(pk=fed.pk)
        tree.c = Node.objects.get(pk=tree.c.pk)
        tree.with_union = make_employer(tree.b, name="青山精密机械有限公司", union=tree.c)
        tree.orphan = make_employer(tree.c, name="城关便民超市有限公司")
        tree.far = make_employer(tree.d, name="河口小吃店")
    return tree


def test_employer_name_finds_its_union_with_the_chair_masked(client, world):
    page = client.get("/w/join/", {"q": "精密机械"})
    assert page.status_code == 200
    found = page.context["found"]
    assert [f.node for f in found.unions] == [world.c]
    text = page.content.decode()
    assert mask_name("王建国") in text and "王建国" not in text
    assert f"/w/join/union/{world.c.code}/" in text


def test_credit_code_finds_the_employer(client, world):
    found = client.get("/w/join/", {"q": world.with_union.credit_code.lower()}).context["found"]
    assert [f.node for f in found.unions] == [world.c]


def test_an_employer_without_a_union_leads_to_the_township_catch_all_union(client, world):
    page = client.get("/w/join/", {"q": "便民超市"})
    found = page.context["found"]
    assert found.unions == [] and found.without_union == ["城关便民超市有限公司"]
    assert [f.node for f in found.catch_all] == [world.b]
    assert "兜底入会" in page.content.decode()


def test_unions_that_do_not_take_online_applications_are_not_offered(client, world):
    found = client.get("/w/join/", {"q": "河口"}).context["found"]
    assert found.unions == [] and found.catch_all == [] and found.without_union == ["河口小吃店"]
    assert world.d.name not in [f.node.name for f in found.unions]


def test_area_lists_the_unions_of_that_area(client, world):
    page = client.get("/w/join/")
    assert world.b.code in [code for code, _label in page.context["form"].fields["area"].choices]
    found = client.get("/w/join/", {"area": world.b.code}).context["found"]
    assert {f.node for f in found.unions} == {world.b, world.c}


def test_industry_federations_are_always_offered(client, world):
    page = client.get("/w/join/")
    assert [f.node for f in page.context["federations"]] == [world.fed]
    assert "骑手" in page.content.decode()


@pytest.mark.parametrize(("query", "message"), [
    ("精", "请至少输入 2 个字"),
    (credit_code(5)[:17] + ("0" if credit_code(5)[17] != "0" else "1"), "校验"),
])
def test_bad_input_is_refused_and_nothing_is_looked_up(client, world, query, message, django_assert_max_num_queries):
    page = client.get("/w/join/", {"q": query})
    assert page.status_code == 200 and page.context["found"] is None
    assert message in page.content.decode()


def test_searches_are_rate_limited_per_network(client, world, monkeypatch):
    monkeypatch.setattr(joining, "SEARCH_PER_IP_PER_HOUR", 3)
    for _ in range(3):
        assert client.get("/w/join/", {"q": "精密机械"}).status_code == 200
    page = client.get("/w/join/", {"q": "精密机械"})
    assert page.status_code == 429 and page.context["found"] is None


def test_one_character_does_not_count_against_the_limit(client, world, monkeypatch):
    monkeypatch.setattr(joining, "SEARCH_PER_IP_PER_HOUR", 1)
    client.get("/w/join/", {"q": "精"})
    assert client.get("/w/join/", {"q": "精密机械"}).status_code == 200


def _form(**overrides):
    data = {"name": "李春梅", "id_number": resident_id(seq=411), "employer_name": "城关便民超市有限公司",
            "employment_form": "contract", "new_form_type": "", "consent": "on"}
    data.update(overrides)
    return data


def test_applying_through_the_search_is_the_qr_path_review(world):
    worker = make_worker()
    client = signed_in(worker)
    url = f"/w/join/union/{world.b.code}/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 302 and response["Location"] == "/w/membership/"
    with scopes_disabled():
        application = JoinApplication.objects.get()
    assert application.node == world.b and application.status == ApplicationStatus.PENDING
    assert application.consent_channel == "search" and application.worker == worker
    assert application.due_on == add_workdays(timezone.localtime(application.submitted_at).date(), 15)  # Beijing's date


def test_the_search_path_asks_for_consent_like_the_qr_path(world):
    client = signed_in(make_worker())
    response = client.post(f"/w/join/union/{world.b.code}/", _form(consent=""))
    assert response.status_code == 200
    with scopes_disabled():
        assert not JoinApplication.objects.exists()


def test_a_union_without_online_joining_cannot_be_applied_to(world):
    client = signed_in(make_worker())
    assert client.get(f"/w/join/union/{world.d.code}/").status_code == 404
    assert client.post(f"/w/join/union/{world.d.code}/", _form()).status_code == 404
    assert client.get("/w/join/union/NOSUCH/").status_code == 404
    with scopes_disabled():
        assert not JoinApplication.objects.exists()


def test_a_visitor_is_asked_to_sign_in_first(client, world):
    page = client.get(f"/w/join/union/{world.b.code}/")
    assert page.status_code == 200 and page.context["form"] is None
    assert f"next=/w/join/union/{world.b.code}/" in page.content.decode()


def test_a_member_sees_their_union_on_the_search_page(world):
    worker = make_worker()
    make_member(world, world.c, worker)
    page = signed_in(worker).get("/w/join/")
    assert page.context["member"].node == world.c


def test_the_demo_opens_online_joining_where_workers_without_a_poster_are_led(tree):
    """The demo's township unions and industry unions take applications online, and its prospects
    carry the words they agreed to."""
    from gonghui.members.demo import load_members
    from gonghui.members.models import Prospect

    with scopes_disabled():
        fed = orgs.create_node(parent=Node.objects.get(pk=tree.a.pk), actor=None, name="青山县网约车司机工会",
                               kind=NodeKind.NEW_EMPLOYMENT)
        load_members(count=50)
        opened = set(JoinLink.objects.filter(revoked_at__isnull=True).values_list("node_id", flat=True))
        assert {tree.b.pk, tree.d.pk, fed.pk} <= opened
        assert all(p.consent_text for p in Prospect.objects.all()) and Prospect.objects.exists()
    assert [f.node.pk for f in joining.find_federations()] == [fed.pk]
