"""Console pages: list with filters and a flat query count, map, detail, create and edit with the
service's messages, export, poster, photos, the four-haves assessment, the visits page."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.core.models import AuditEntry
from gonghui.positions.models import Assessment, Position, PositionPhoto
from gonghui.positions.services import visits
from tests.positions.conftest import png, upload
from tests.positions.factories import make_position


@pytest.fixture
def admin(tree, client):
    client.force_login(tree.user("b_admin"))
    return client


def form(**kw):
    data = {"name": "人民路驿站", "kind": "rest_station", "status": "open", "address": "青山县人民路1号",
            "system": "wgs84", "lat": "30.8712", "lng": "119.9433", "day0": "08:00-12:00, 14:00-18:00",
            "day5": "09:00-17:00", "amenities": ["hot_water", "toilet"]}
    data.update(kw)
    return data


def test_list_filters_and_hides_other_subtrees(tree, admin):
    with scopes_disabled():
        make_position(tree.c, tree=tree, name="城关充电驿站", amenities=["charging"])
        make_position(tree.c, tree=tree, name="城关热水驿站", amenities=["hot_water"])
        make_position(tree.d, tree=tree, name="河口驿站")
    body = admin.get(reverse("positions:list")).content.decode()
    assert "城关充电驿站" in body and "城关热水驿站" in body and "河口驿站" not in body
    body = admin.get(reverse("positions:list"), {"amenity": "charging"}).content.decode()
    assert "城关充电驿站" in body and "城关热水驿站" not in body


def test_list_query_count_is_flat(tree, admin, django_assert_max_num_queries):
    with scopes_disabled():
        make_position(tree.c, tree=tree)
    with django_assert_max_num_queries(15):
        admin.get(reverse("positions:list"))
    with scopes_disabled():
        for _ in range(30):
            make_position(tree.c, tree=tree)
    with django_assert_max_num_queries(15):
        assert admin.get(reverse("positions:list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert admin.get(reverse("positions:map")).status_code == 200


def test_create_with_bgcoordinates_and_errors_in_the_form(tree, admin):
    url = reverse("positions:create") + f"?node={tree.c.pk}"
    body = admin.post(url, form(day0="18:00-08:00", amenities=["hot_water"], lat="119.9433", lng="30.8712",
                                node=tree.c.pk)).content.decode()
    assert "结束时间早于开始时间" in body and "填反" in body
    with scopes_disabled():
        assert not Position.objects.exists()
    response = admin.post(url, form(system="bd09", lat="30.877", lng="119.955", node=tree.c.pk))
    assert response.status_code == 302
    with scopes_disabled():
        position = Position.objects.get()
    assert float(position.lat) < 30.877 and float(position.lng) < 119.955  # BD-09 is shifted north-east
    assert position.hours["0"] == [["08:00", "12:00"], ["14:00", "18:00"]]


def test_edit_keeps_what_is_not_changed(tree, admin):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree)
    page = admin.get(reverse("positions:edit", args=[position.pk])).content.decode()
    assert "08:00-18:00" in page
    response = admin.post(reverse("positions:edit", args=[position.pk]),
                          form(name="改名驿站", lat=str(position.lat), lng=str(position.lng)))
    assert response.status_code == 302
    with scopes_disabled():
        position.refresh_from_db()
    assert position.name == "改名驿站"


def test_viewer_sees_but_cannot_edit(tree, client):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree)
    client.force_login(tree.user("b_viewer"))
    assert client.get(reverse("positions:detail", args=[position.pk])).status_code == 200
    assert client.get(reverse("positions:edit", args=[position.pk])).status_code == 403


def test_export_is_audited_and_escapes_formulas(tree, admin):
    with scopes_disabled():
        make_position(tree.c, tree=tree, name="=HYPERLINK(1)驿站")
    response = admin.get(reverse("positions:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value.startswith("'=")
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="positions.position.exported").exists()


def test_poster_has_a_qr_code_that_opens_the_visit_page(tree, admin):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree)
    body = admin.get(reverse("positions:poster", args=[position.pk])).content.decode()
    assert "<svg" in body and reverse("worker:station_visit", args=[visits.make_visit_token(position=position)]) in body


def test_photos_upload_show_and_refuse_svg(tree, admin):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree)
    admin.post(reverse("positions:photo_add", args=[position.pk]), {"photo": upload(png()), "caption": "门头"})
    response = admin.post(reverse("positions:photo_add", args=[position.pk]),
                          {"photo": upload(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg", "image/svg+xml")},
                          follow=True)
    assert "只能上传" in response.content.decode()
    with scopes_disabled():
        photo = PositionPhoto.objects.get()
    thumb = admin.get(reverse("positions:photo", args=[photo.pk]) + "?size=thumb")
    assert thumb.status_code == 200 and thumb["X-Content-Type-Options"] == "nosniff"


def test_four_haves_assessment_awards_a_level_only_when_all_met(tree, admin):
    with scopes_disabled():
        home = make_position(tree.c, tree=tree, kind="workers_home", name="精密机械职工之家")
    url = reverse("positions:assessment_create", args=[home.pk])
    data = {"assessed_on": "2026-06-01", "assessor": "县总工会考评组", "item_venue": "on", "item_facilities": "on",
            "item_activities": "on", "level_awarded": "county"}
    body = admin.post(url, data).content.decode()
    assert "四项全部达标才能授予示范等级" in body
    response = admin.post(url, {**data, "item_rules": "on", "note_rules": "制度上墙"})
    assert response.status_code == 302
    with scopes_disabled():
        assessment = Assessment.objects.get()
        home.refresh_from_db()
    assert assessment.result == "passed" and home.level == "county"
    admin.post(reverse("positions:evidence_add", args=[assessment.pk]), {"item": "rules", "file": upload(png())})
    page = admin.get(reverse("positions:assessment", args=[assessment.pk])).content.decode()
    assert "制度上墙" in page and "photo.png" in page
    future = admin.post(url, {**data, "item_rules": "on", "assessed_on": "2099-01-01"}).content.decode()
    assert "不能晚于今天" in future


def test_visits_page(tree, admin):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree, name="人民路驿站")
        visits.visit_by_phone(position=position, phone="13700001111", consent=True)
    body = admin.get(reverse("positions:visits")).content.decode()
    assert "人民路驿站" in body and "服务人次" in body
    assert admin.get(reverse("positions:visits"), {"month": "garbage", "year": "x"}).status_code == 200


def test_today_is_used_for_visits_this_month(tree, admin):
    with scopes_disabled():
        position = make_position(tree.c, tree=tree)
        visits.visit_by_phone(position=position, phone="13700001111", consent=True)
    body = admin.get(reverse("positions:detail", args=[position.pk])).content.decode()
    assert "本月服务人次" in body and timezone.localdate().year
