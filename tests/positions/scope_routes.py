"""Scope proof of positions: every console page, worker page and API route of the module."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.scope_kit import CADRE_ANY, NODE_SCOPED, PUBLIC, Route, _node, scoped

_seq = itertools.count(9000)


def _position(tree, node) -> int:
    from tests.positions.factories import make_position

    name = "河口镇渡口驿站" if node.pk == tree.d.pk else f"驿站{next(_seq)}"
    return make_position(node, tree=tree, name=name, address=f"{node.name}滨河路{next(_seq)}号").pk


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 20, 30)).save(out, "PNG")
    return out.getvalue()


def _photo(tree, node) -> int:
    from gonghui.positions.models import Position
    from gonghui.positions.services import positions as services

    position = Position.objects.get(pk=_position(tree, node))
    return services.add_photo(position=position, actor=tree.user("a_admin"),
                              upload=SimpleUploadedFile("p.png", _png(), content_type="image/png")).pk


def _assessment(tree, node) -> int:
    import datetime

    from gonghui.positions.models import Position
    from gonghui.positions.services import assessments

    position = Position.objects.get(pk=_position(tree, node))
    return assessments.record_assessment(position=position, actor=tree.user("a_admin"),
                                         assessed_on=datetime.date(2026, 6, 1), assessor="县总工会考评组",
                                         items={"venue": True, "facilities": True, "activities": True,
                                                "rules": True}).pk


def _evidence(tree, node) -> int:
    from gonghui.positions.models import Assessment
    from gonghui.positions.services import assessments

    assessment = Assessment.objects.get(pk=_assessment(tree, node))
    return assessments.add_evidence(assessment=assessment, actor=tree.user("a_admin"), item="venue",
                                    upload=SimpleUploadedFile("v.png", _png(), content_type="image/png")).pk


def _position_form(tree, node):
    return {"node": node.pk, "name": f"新驿站{next(_seq)}", "kind": "rest_station", "status": "open",
            "address": "青山县人民路1号", "system": "wgs84", "lat": "30.8712", "lng": "119.9433",
            "day0": "08:00-18:00", "amenities": ["hot_water"]}


def _position_json(tree, node):
    return {"node_id": node.pk, "name": f"新驿站{next(_seq)}", "kind": "rest_station", "address": "青山县人民路1号",
            "lat": 30.8712, "lng": 119.9433, "hours": {"0": [["08:00", "18:00"]]}, "amenities": ["hot_water"]}


_CARDS: dict[int, str] = {}


def _position_and_member(tree, node) -> int:
    """A position, and a member of the same node whose card code the payload carries (built before
    the proof's snapshot, so the request is the only change)."""
    from gonghui.members.services import card
    from tests.scope_kit import _member

    _CARDS[node.pk] = card.make_card_token(member=_member(tree, node))
    return _position(tree, node)


def _card_token(tree, node):
    return {"card_token": _CARDS[node.pk]}


def _bookroom(tree, node) -> int:
    from tests.positions.factories import make_position

    return make_position(node, tree=tree, kind="bookroom", name=f"{node.name[:2]}职工书屋{next(_seq)}").pk


def _copy(tree, node) -> int:
    from gonghui.positions.models import Position
    from gonghui.positions.services import bookrooms

    book = bookrooms.add_book(position=Position.objects.get(pk=_bookroom(tree, node)), actor=tree.user("a_admin"),
                              isbn="9787020025367", title="平凡的世界")
    return book.copies.get().pk


def _copy_on_loan(tree, node) -> int:
    from gonghui.positions.models import BookCopy
    from gonghui.positions.services import bookrooms
    from tests.scope_kit import _member

    copy = BookCopy.objects.get(pk=_copy(tree, node))
    bookrooms.lend_copy(copy=copy, actor=tree.user("a_admin"), card_code=_member(tree, node).card_number)
    return copy.pk


def _book(tree, node) -> int:
    from gonghui.positions.models import BookCopy

    return BookCopy.objects.get(pk=_copy(tree, node)).book_id


_LENDERS: dict[int, str] = {}


def _copy_and_member(tree, node) -> int:
    from tests.scope_kit import _member

    _LENDERS[node.pk] = _member(tree, node).card_number
    return _copy(tree, node)


ROUTES = {
    # console
    "positions:list": Route(NODE_SCOPED, target=_node, param="?node"),
    "positions:map": Route(NODE_SCOPED, target=_node, param="?node"),
    "positions:export": Route(NODE_SCOPED, target=_node, param="?node"),
    "positions:visits": Route(NODE_SCOPED, target=_node, param="?node"),
    "positions:import": Route(NODE_SCOPED, target=_node, param="?node"),
    "positions:import_template": Route(CADRE_ANY),
    "positions:import_errors": Route(CADRE_ANY),
    "positions:create": scoped(_node, param="?node", data=_position_form),
    "positions:detail": scoped(_position),
    "positions:edit": scoped(_position, data=lambda t, n: {**_position_form(t, n), "name": "改名驿站"}),
    "positions:photo_add": scoped(_position, get=False, data=lambda t, n: {
        "photo": SimpleUploadedFile("p.png", _png(), content_type="image/png")}),
    "positions:poster": scoped(_position),
    "positions:move": scoped(_position, data=lambda t, n: {"to_node": t.b.pk, "reason": "划转"}),
    "positions:qr_renew": scoped(_position, get=False, data=lambda t, n: {}),
    "positions:photo": scoped(_photo),
    "positions:photo_remove": scoped(_photo, get=False, data=lambda t, n: {}),
    "positions:assessment_create": scoped(_position, data=lambda t, n: {
        "assessed_on": "2026-06-01", "assessor": "县总工会考评组", "item_venue": "on", "item_facilities": "on",
        "item_activities": "on", "item_rules": "on"}),
    "positions:assessment": scoped(_assessment),
    "positions:evidence_add": scoped(_assessment, get=False, data=lambda t, n: {
        "item": "venue", "file": SimpleUploadedFile("v.png", _png(), content_type="image/png")}),
    "positions:evidence": scoped(_evidence),
    "positions:books": scoped(_bookroom),
    "positions:lend": scoped(_copy_and_member, get=False, data=lambda t, n: {"card": _LENDERS[n.pk]}),
    "positions:return": scoped(_copy_on_loan, get=False, data=lambda t, n: {}),
    "positions:overdue": Route(NODE_SCOPED, target=_node, param="?node"),
    "positions:withdraw": scoped(_copy, get=False, data=lambda t, n: {}),
    # worker pages (public: stations are public places; a visit needs the station's signed code)
    "worker:stations": PUBLIC,
    "worker:station": PUBLIC,
    "worker:station_photo": PUBLIC,
    "worker:station_visit": PUBLIC,
    "worker:station_books": PUBLIC,
    # API
    "api:public_nearby": PUBLIC,
    "api:amenity_vocabulary": PUBLIC,
    "api:public_areas": PUBLIC,
    "api:list_positions": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:scoped_nearest": Route(CADRE_ANY, query={"lat": "30.8712", "lng": "119.9433"}),
    "api:position_indicators": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:get_position": scoped(_position, param="position_id"),
    "api:create_position": scoped(_node, param="", data=_position_json),
    "api:update_position": scoped(_position, param="position_id", data=lambda t, n: {"name": "改名驿站"}),
    "api:move_position": scoped(_position, param="position_id", data=lambda t, n: {"to_node_id": t.b.pk,
                                                                                  "reason": "划转"}),
    "api:upload_photo": scoped(_position, param="position_id", data=lambda t, n: {
        "file": SimpleUploadedFile("p.png", _png(), content_type="image/png")}),
    "api:record_card_visit": scoped(_position_and_member, param="position_id", data=_card_token),
    # four-haves assessments
    "api:list_assessments": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:position_assessments": scoped(_position, param="position_id"),
    "api:record_assessment": scoped(_position, param="position_id", data=lambda t, n: {
        "assessed_on": "2026-06-01", "assessor": "县总工会考评组",
        "items": {"venue": True, "facilities": True, "activities": True, "rules": True}}),
    "api:get_assessment": scoped(_assessment, param="assessment_id"),
    "api:add_evidence": scoped(_assessment, param="assessment_id", data=lambda t, n: {
        "item": "venue", "file": SimpleUploadedFile("v.png", _png(), content_type="image/png")}),
    # bookrooms
    "api:public_books": PUBLIC,
    "api:list_books": scoped(_bookroom, param="position_id"),
    "api:add_book": scoped(_bookroom, param="position_id", data=lambda t, n: {"isbn": "9787544253994", "title": "活着"}),
    "api:list_copies": scoped(_book, param="book_id"),
    "api:add_copies": scoped(_book, param="book_id", data=lambda t, n: {"copies": 1}),
    "api:lend_copy": scoped(_copy_and_member, param="copy_id", data=lambda t, n: {"card": _LENDERS[n.pk]}),
    "api:return_copy": scoped(_copy_on_loan, param="copy_id", data=lambda t, n: {}),
    "api:withdraw_copy": scoped(_copy, param="copy_id", data=lambda t, n: {}),
    "api:overdue_loans": Route(NODE_SCOPED, target=_node, param="?node"),
}
SIBLING_SEEDS = [_position]
