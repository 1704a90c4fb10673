"""Visits (服务人次): a scan of the station's code counts once per person per station per hour;
members recognised, others recorded as prospects (先服务后入会); forged or withdrawn codes refused;
counts per station, subtree and month."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.members.models import Prospect
from gonghui.members.services import card
from gonghui.positions import selectors
from gonghui.positions.models import Visit
from gonghui.positions.services import visits
from tests.positions.factories import make_position
from tests.scope_kit import _member

pytestmark = pytest.mark.usefixtures("unscoped")
T = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 5))


@pytest.fixture
def station(tree):
    return make_position(tree.c, tree=tree, name="人民路驿站")


def test_once_per_person_per_hour_then_again_next_hour(station):
    first = visits.visit_by_phone(position=station, phone="13700001111", consent=True, at=T)
    replay = visits.visit_by_phone(position=station, phone="137 0000 1111", consent=True,
                                   at=T + datetime.timedelta(minutes=40))
    later = visits.visit_by_phone(position=station, phone="13700001111", consent=True,
                                  at=T + datetime.timedelta(minutes=60))
    assert first.counted and not replay.counted and later.counted
    assert Visit.objects.count() == 2


def test_the_database_refuses_a_second_visit_in_the_same_hour(station):
    from django.db import IntegrityError, transaction

    visits.visit_by_phone(position=station, phone="13700001111", consent=True, at=T)
    visit = Visit.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(position=station, person_key=visit.person_key, kind="prospect", hour=visit.hour, at=T)


def test_a_non_member_who_agrees_is_recorded_as_a_prospect_of_the_host_union(station, tree):
    worker = Worker.objects.create(phone="13700002222", phone_hash=blind_index("13700002222", purpose="phone"))
    result = visits.visit_by_worker(position=station, worker=worker, consent=True, at=T)
    assert result.visit.kind == "prospect"
    prospect = Prospect.objects.get()
    assert prospect.node_id == tree.c.pk and "人民路驿站" in prospect.service
    assert prospect.consent_at is not None and prospect.consent_channel == "station"


def test_an_anonymous_check_in_records_no_prospect(station):
    result = visits.visit_by_phone(position=station, phone="13700002222", consent=True, at=T)
    assert result.visit.kind == "prospect" and not result.disclosed
    assert not Prospect.objects.exists()


def test_consent_is_required_and_nothing_is_recorded_without_it(station):
    with pytest.raises(DomainError) as exc:
        visits.visit_by_phone(position=station, phone="13700002222", consent=False, at=T)
    assert exc.value.code == "consent_required"
    assert not Visit.objects.exists() and not Prospect.objects.exists()


def test_a_bad_phone_number_is_refused(station):
    with pytest.raises(ValidationError):
        visits.visit_by_phone(position=station, phone="12345", consent=True, at=T)
    assert not Visit.objects.exists()


def test_a_member_is_recognised_by_phone_worker_login_and_card(station, tree):
    member = _member(tree, tree.c)  # phone 13912345678
    by_phone = visits.visit_by_phone(position=station, phone="13912345678", consent=True, at=T)
    assert by_phone.visit.kind == "member" and by_phone.visit.member_id == member.pk
    worker = Worker.objects.create(phone="13912345678", phone_hash=blind_index("13912345678", purpose="phone"))
    same_person = visits.visit_by_worker(position=station, worker=worker, at=T)
    assert not same_person.counted  # the same person, the same hour
    by_card = visits.visit_by_card(position=station, card_token=card.make_card_token(member=member),
                                   at=T + datetime.timedelta(hours=1))
    assert by_card.counted and by_card.member_name.startswith("王")
    assert not Prospect.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", signing.dumps({"p": 1, "k": "x"}, salt="other"), ""])
def test_forged_codes_are_refused(station, token):
    with pytest.raises(DomainError) as exc:
        visits.resolve_visit_token(token=token or "x")
    assert exc.value.code == "qr_forged"


def test_an_altered_code_naming_another_station_is_refused(station, tree):
    other = make_position(tree.d, tree=tree)
    token = visits.make_visit_token(position=station)
    payload, _sep, signature = token.rpartition(":")
    forged = signing.dumps({"p": other.pk, "k": station.qr_key}, salt="x").rpartition(":")[0] + ":" + signature
    with pytest.raises(DomainError):
        visits.resolve_visit_token(token=forged)


def test_visit_page_checks_in_once_and_says_so(station, client):
    url = reverse("worker:station_visit", args=[visits.make_visit_token(position=station)])
    assert "人民路驿站" in client.get(url).content.decode()
    assert not Visit.objects.exists()  # opening the page counts nothing
    body = client.post(url, {"phone": "13700003333", "consent": "on"}).content.decode()
    assert "已为您签到" in body
    body = client.post(url, {"phone": "13700003333", "consent": "on"}).content.decode()
    assert "本小时内已在此签到" in body
    assert Visit.objects.count() == 1


def test_visit_page_without_consent_explains_and_records_nothing(station, client):
    url = reverse("worker:station_visit", args=[visits.make_visit_token(position=station)])
    body = client.post(url, {"phone": "13700003333"}).content.decode()
    assert "请勾选同意" in body and not Visit.objects.exists()


def test_visit_page_with_a_forged_code(db, client):
    response = client.get(reverse("worker:station_visit", args=["forged:token"]))
    assert response.status_code == 404 and "不是有效的驿站二维码" in response.content.decode()


def test_anonymous_check_ins_are_rate_limited_per_address(station, monkeypatch):
    monkeypatch.setattr(visits, "ANONYMOUS_PER_IP_PER_HOUR", 3)
    for i in range(3):
        visits.visit_by_phone(position=station, phone=f"1370000{i:04d}", consent=True, ip="10.0.0.9", at=T)
    with pytest.raises(DomainError) as exc:
        visits.visit_by_phone(position=station, phone="13799999999", consent=True, ip="10.0.0.9", at=T)
    assert exc.value.code == "too_many_visits" and Visit.objects.count() == 3


def test_counts_per_station_subtree_and_month(tree, station):
    other = make_position(tree.d, tree=tree, name="河口驿站")
    for i in range(3):
        visits.visit_by_phone(position=station, phone=f"1370000{i:04d}", consent=True, at=T)
    visits.visit_by_phone(position=other, phone="13700000000", consent=True, at=T)
    visits.visit_by_phone(position=station, phone="13700000000", consent=True,
                          at=timezone.make_aware(datetime.datetime(2026, 10, 31, 23, 30)))
    months = selectors.visits_by_month(node=tree.b, year=2026)
    assert months[10][1:] == (3, 0) and months[9][1:] == (1, 0)  # November, October (local time)
    assert sum(n for _m, n, _k in selectors.visits_by_month(node=tree.a, year=2026)) == 5
    ranked = list(selectors.visits_by_position(node=tree.a, month=datetime.date(2026, 11, 1)))
    assert [(p.name, p.visit_count) for p in ranked] == [("人民路驿站", 3), ("河口驿站", 1)]
    children = {n.name: c for n, c, _own in selectors.visits_by_child(node=tree.a, month=datetime.date(2026, 11, 1))}
    assert children == {"城关镇总工会": 3, "河口镇总工会": 1}


def test_visits_at_the_nodes_own_positions_are_listed_beside_its_children(tree, station):
    own = make_position(tree.b, tree=tree, name="城关镇职工之家", kind="workers_home")
    visits.visit_by_phone(position=own, phone="13700000001", consent=True, at=T)
    visits.visit_by_phone(position=station, phone="13700000002", consent=True, at=T)
    visits.visit_by_phone(position=station, phone="13700000003", consent=True, at=T)
    rows = selectors.visits_by_child(node=tree.b, month=datetime.date(2026, 11, 1))
    assert [(n.name, c, own_row) for n, c, own_row in rows] == [("青山精密机械有限公司工会", 2, False),
                                                              ("城关镇总工会", 1, True)]


ROTATED = "a-rotated-session-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - test value
OTHER_QR_KEY = "another-qr-signing-key-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - test value


def test_a_station_code_has_its_own_key_and_codes_printed_before_still_work(station, settings):
    printed_before = signing.Signer(salt=visits.QR_SALT).sign_object({"p": station.pk, "k": station.qr_key})
    assert visits.resolve_visit_token(token=printed_before).pk == station.pk  # signed with the session secret back then
    token = visits.make_visit_token(position=station)
    settings.SECRET_KEY = ROTATED
    assert visits.resolve_visit_token(token=token).pk == station.pk  # rotating the session secret voids no printed code
    settings.GONGHUI_QR_SIGNING_KEY = OTHER_QR_KEY
    with pytest.raises(DomainError):  # the printed-code key is what signs it
        visits.resolve_visit_token(token=token)
