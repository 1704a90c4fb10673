"""Positions: created and edited through the service with every rule checked; bad input changes
nothing; photos are pictures only, capped, without EXIF, with thumbnails; everything audited."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from gonghui.core.errors import DomainError, NotPermitted
from gonghui.core.models import AuditEntry
from gonghui.positions import coordinates
from gonghui.positions.amenities import BIT
from gonghui.positions.models import Position, PositionPhoto
from gonghui.positions.services import positions as services
from tests.positions.conftest import jpeg_with_gps, png, upload
from tests.positions.factories import make_position, station_fields

pytestmark = pytest.mark.usefixtures("unscoped")


def count():
    return Position.objects.count(), AuditEntry.objects.count()


def test_clerk_creates_a_station_with_hours_amenities_and_an_audit_record(tree):
    position = services.create_position(node=tree.c, actor=tree.user("b_clerk"), **station_fields(
        name="城关人民路户外劳动者驿站", hours={"0": "07:00-11:30, 13:30-19:00", "5": "09:00-17:00"},
        amenities=["toilet", "hot_water"], closed_on_holidays=True))
    assert position.hours["0"] == [["07:00", "11:30"], ["13:30", "19:00"]] and position.hours["1"] == []
    assert position.amenities == ["hot_water", "toilet"]  # vocabulary order
    assert position.amenity_mask == BIT["hot_water"] | BIT["toilet"]
    entry = AuditEntry.objects.filter(action="positions.position.created").get()
    assert entry.object_id == str(position.pk) and entry.actor_id == str(tree.user("b_clerk").pk)


def test_gcj02_input_is_stored_as_wgs84(tree):
    wgs = (30.871200, 119.943300)
    gcj = coordinates.wgs84_to_gcj02(*wgs)
    position = make_position(tree.c, tree=tree, lat=gcj[0], lng=gcj[1], system="gcj02")
    assert coordinates.haversine_m(float(position.lat), float(position.lng), *wgs) < 0.2


@pytest.mark.parametrize("bad, field", [
    ({"lat": 48.85, "lng": 2.29}, "lat"),                      # Paris
    ({"lat": 119.9433, "lng": 30.8712}, "lat"),                # swapped
    ({"hours": {"0": "18:00-08:00"}}, "hours"),                # ends before it starts
    ({"hours": {"0": "08:00-12:00, 11:00-13:00"}}, "hours"),   # overlap
    ({"hours": {}}, "hours"),                                  # never open and not 24 h
    ({"amenities": ["hot_water", "karaoke"]}, "amenities"),    # not in the vocabulary
    ({"name": "<script>alert(1)</script>"}, "name"),
    ({"kind": "spa"}, "kind"),
    ({"contact_phone": "call me"}, "contact_phone"),
    ({"area_sqm": "-5"}, "area_sqm"),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(tree, bad, field):
    before = count()
    with pytest.raises(ValidationError) as exc:
        services.create_position(node=tree.c, actor=tree.user("b_admin"), **station_fields(**bad))
    assert field in exc.value.message_dict and exc.value.message_dict[field][0]
    assert count() == before


def test_viewer_and_sibling_admin_cannot_write(tree):
    before = count()
    with pytest.raises(NotPermitted):
        services.create_position(node=tree.c, actor=tree.user("b_viewer"), **station_fields())
    with pytest.raises(NotPermitted):
        services.create_position(node=tree.c, actor=tree.user("d_admin"), **station_fields())
    assert count() == before


def test_update_records_changed_field_names_only(tree):
    position = make_position(tree.c, tree=tree)
    services.update_position(position=position, actor=tree.user("b_admin"), name="改名驿站",
                             amenities=["wifi"], contact_phone="13812345678")
    position.refresh_from_db()
    assert position.name == "改名驿站" and position.amenity_mask == BIT["wifi"]
    entry = AuditEntry.objects.filter(action="positions.position.updated").get()
    assert entry.data == {"fields": ["amenities", "amenity_mask", "contact_phone", "name"]}
    assert "13812345678" not in str(entry.data)


def test_update_with_bad_hours_changes_nothing(tree):
    position = make_position(tree.c, tree=tree)
    with pytest.raises(ValidationError):
        services.update_position(position=position, actor=tree.user("b_admin"), name="新名字",
                                 hours={"2": "10:00-09:00"})
    position.refresh_from_db()
    assert position.name.startswith("测试驿站")


def test_photo_is_reencoded_without_exif_and_gets_a_thumbnail(tree):
    position = make_position(tree.c, tree=tree)
    photo = services.add_photo(position=position, actor=tree.user("b_clerk"),
                               upload=upload(jpeg_with_gps(), "IMG_0001.jpg", "image/jpeg"), caption="门头")
    with default_storage.open(photo.file, "rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
        assert not stored.getexif()
    with default_storage.open(photo.thumb, "rb") as fh:
        assert Image.open(fh).format == "JPEG"
    assert not photo.file.endswith("IMG_0001.jpg")  # a random storage name


@pytest.mark.parametrize("data, name, code", [
    (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.svg", "file_type"),
    (b"%PDF-1.4\n%%EOF", "x.png", "file_type"),
    (b"MZ\x90\x00 not a picture", "photo.jpg", "file_type"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png", "bad_file"),
])
def test_uploads_that_are_not_pictures_are_refused(tree, data, name, code):
    position = make_position(tree.c, tree=tree)
    with pytest.raises(DomainError) as exc:
        services.add_photo(position=position, actor=tree.user("b_admin"), upload=upload(data, name))
    assert exc.value.code == code
    assert not PositionPhoto.objects.exists()


def test_a_photo_over_the_cap_is_refused(tree, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 1000)
    position = make_position(tree.c, tree=tree)
    big = png(size=(600, 600), color=(1, 2, 3))
    noisy = Image.frombytes("RGB", (300, 300), bytes(range(256)) * (300 * 300 * 3 // 256 + 1))
    out = io.BytesIO()
    noisy.save(out, "PNG")
    with pytest.raises(DomainError) as exc:
        services.add_photo(position=position, actor=tree.user("b_admin"), upload=upload(out.getvalue() + big))
    assert exc.value.code == "file_too_large"
    assert not PositionPhoto.objects.exists()


def test_renewing_the_qr_key_withdraws_the_old_code(tree):
    from gonghui.positions.services import visits

    position = make_position(tree.c, tree=tree)
    old = visits.make_visit_token(position=position)
    services.renew_qr(position=position, actor=tree.user("b_admin"))
    with pytest.raises(DomainError) as exc:
        visits.resolve_visit_token(token=old)
    assert exc.value.code == "qr_withdrawn"
    assert visits.resolve_visit_token(token=visits.make_visit_token(position=position)).pk == position.pk


def test_positions_are_scoped(tree):
    make_position(tree.c, tree=tree, name="城关驿站")
    make_position(tree.d, tree=tree, name="河口驿站")
    from gonghui.core.scoping import Subtree, tree_scope

    with tree_scope(Subtree([tree.b.path])):
        assert list(Position.objects.values_list("name", flat=True)) == ["城关驿站"]


def test_system_work_of_another_module_needs_no_positions_role_but_keeps_the_rules(tree):
    """funds' accepted project registers its position through these with the accepting cadre, who
    may hold no positions role (here a viewer): none is asked; the union must be active and the
    fields valid; the step is in the audit record."""
    cadre, via = tree.user("b_viewer"), {"by": "funds.project", "project": 7}
    with pytest.raises(NotPermitted):
        services.create_position(node=tree.c, actor=cadre, **station_fields())
    position = services.create_position_for(node=tree.c, actor=cadre, via=via, **station_fields(name="城关职工书屋"))
    entry = AuditEntry.objects.filter(action="positions.position.created").get()
    assert entry.data["project"] == 7 and entry.data["by"] == "funds.project" and entry.object_id == str(position.pk)

    before = count()
    with pytest.raises(ValidationError):
        services.create_position_for(node=tree.c, actor=cadre, via=via, **station_fields(lat=0, lng=0))
    tree.c.status = "dissolved"
    tree.c.save(update_fields=["status"])
    with pytest.raises(DomainError) as refused:
        services.create_position_for(node=tree.c, actor=cadre, via=via, **station_fields())
    assert refused.value.code == "node_inactive" and count() == before

    upgraded = services.upgrade_position_for(position_id=position.pk, actor=cadre, via=via, area_sqm=120)
    assert upgraded.area_sqm == 120
    entry = AuditEntry.objects.filter(action="positions.position.updated").get()
    assert entry.data["fields"] == ["area_sqm"] and entry.data["project"] == 7
    with pytest.raises(Position.DoesNotExist):
        services.upgrade_position_for(position_id=position.pk + 999, actor=cadre, via=via)
