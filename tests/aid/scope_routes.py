"""Scope proof routes of aid (see tests/scope_kit.py and tests/test_scope_proof.py)."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.accounts.models import Role, User, Worker
from gonghui.core.crypto import blind_index
from gonghui.orgs.models import Node
from tests.factories import make_user, resident_id
from tests.scope_kit import CADRE_ANY, PUBLIC, WORKER, Route, _member, _node, _seq, scoped

YEAR = timezone.localdate().year


def _fresh(node):
    return Node.objects.get(pk=node.pk)


def _second_reviewer(tree) -> User:
    user = User.objects.filter(username="aid_a_reviewer").first()
    return user or make_user("aid_a_reviewer", node=tree.a, roles=[Role.REVIEWER])


def _programme_obj(tree, node, kind="winter_warmth", **rules):
    from gonghui.aid.services import programmes

    return programmes.create_programme(
        node=_fresh(node), actor=tree.user("a_admin"), kind=kind, name=f"{node.name}{YEAR}年送温暖{next(_seq)}",
        year=YEAR, period=f"t{next(_seq)}", starts_on=datetime.date(YEAR, 1, 1), ends_on=datetime.date(YEAR, 12, 31),
        budget="100000", **rules)


def _programme(tree, node) -> int:
    return _programme_obj(tree, node).pk


def _medical_programme(tree, node) -> int:
    return _programme_obj(tree, node, kind="medical_mutual_aid", enrolment_fee="60", deductible="1000", ratio="0.6",
                          cap_per_claim="20000", cap_per_year="30000").pk


def _application_obj(tree, node):
    """Filed by the county admin for a member of ``node`` in a county programme."""
    from gonghui.aid.services import applications

    programme = _programme_obj(tree, tree.a)
    return applications.create_application(programme=programme, member=_member(tree, node),
                                           actor=tree.user("a_admin"), reason="家中老人重病住院", amount="800")


def _aid_application(tree, node) -> int:
    return _application_obj(tree, node).pk


def _approved(tree, node):
    from gonghui.aid.services import applications

    return applications.approve_application(application=_application_obj(tree, node), actor=_second_reviewer(tree))


def _approved_application(tree, node) -> int:
    return _approved(tree, node).pk


def _paid_application(tree, node) -> int:
    from gonghui.aid.services import applications

    application = _approved(tree, node)
    applications.pay_application(application=application, actor=tree.user("a_admin"))
    return application.pk


def _programme_with_approved(tree, node) -> int:
    """A programme of ``node`` itself with one approved application below it."""
    from gonghui.aid.services import applications

    programme = _programme_obj(tree, node)
    application = applications.create_application(programme=programme, member=_member(tree, node),
                                                  actor=tree.user("a_admin"), reason="困难", amount="500")
    applications.approve_application(application=application, actor=_second_reviewer(tree))
    return programme.pk


def _publicity(tree, node) -> int:
    from gonghui.aid.services import applications

    application = _approved(tree, node)
    return applications.publish_publicity(programme=application.programme, node=_fresh(node), actor=tree.user("a_admin")).pk


def _objection_obj(tree, node, evidence=False):
    """An objection by a worker to an approved entry of ``node`` on a list published at ``node``;
    the reason names the union, so the leak check of listings can see it."""
    from gonghui.aid.services import objections

    publicity_pk = _publicity(tree, node)
    from gonghui.aid.models import Publicity

    publicity = Publicity.objects.with_scopes_disabled().get(pk=publicity_pk)
    phone = f"135{next(_seq):08d}"
    worker = Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
    return objections.file_objection(publicity=publicity, application_id=publicity.applications.get().pk,
                                     worker=worker, reason=f"{node.name}此人家庭收入较高，不符合条件",
                                     evidence=_jpeg() if evidence else None)


def _objection(tree, node) -> int:
    return _objection_obj(tree, node).pk


def _objection_with_evidence(tree, node) -> int:
    return _objection_obj(tree, node, evidence=True).pk


def _claim_document(tree, node) -> int:
    """A bill photo of a medical claim of a member of ``node`` (a programme of ``node`` itself)."""
    from gonghui.aid.models import ClaimDocument
    from gonghui.aid.services import medical

    programme = _programme_obj(tree, node, kind="medical_mutual_aid", enrolment_fee="60", deductible="1000",
                               ratio="0.6", cap_per_claim="20000", cap_per_year="30000")
    member = _member(tree, node)
    medical.enrol_member(programme=programme, member=member, actor=tree.user("a_admin"))
    application = medical.submit_claim(
        programme=programme, member=member, actor=tree.user("a_admin"), hospital="青山县人民医院", diagnosis="骨折",
        admitted_on=datetime.date(YEAR, 1, 5), discharged_on=datetime.date(YEAR, 1, 9), bills_total="5000",
        eligible="4000", bills=[{"number": "B1", "amount": "5000"}], bill_photos=[_jpeg()])
    return ClaimDocument.objects.with_scopes_disabled().get(claim__application=application).pk


def _hardship_obj(tree, node):
    from gonghui.aid.services import hardship

    return hardship.register_file(node=_fresh(node), actor=tree.user("a_admin"), name="陈秀英",
                                  id_number=resident_id("19760312", next(_seq) % 1000), cause="illness", level="deep",
                                  household_size=3, income_per_head="650", situation="丈夫尿毒症")


def _hardship(tree, node) -> int:
    return _hardship_obj(tree, node).pk


def _jpeg():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "JPEG")
    return SimpleUploadedFile("proof.jpg", out.getvalue(), content_type="image/jpeg")


def _document(tree, node) -> int:
    from gonghui.aid.services import hardship

    return hardship.add_document(file=_hardship_obj(tree, node), actor=tree.user("a_admin"), upload=_jpeg(),
                                 title="诊断证明").pk


def _wish(tree, node) -> int:
    from gonghui.aid.services import wishes

    phone = f"136{next(_seq):08d}"
    worker = Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
    return wishes.post_wish(member=_member(tree, node), worker=worker, title=f"{node.name[:2]}一台电脑",
                            kind="money", amount="1500").pk


# Payload callables run after the "before" snapshot, so they must not write: the targets prepare
# what the payload names (a programme, a member) and leave it here, keyed by node.
_PREPARED: dict[int, dict] = {}


def _node_ready_to_apply(tree, node) -> int:
    """The node, with a county programme covering it and a member of it to apply for."""
    _PREPARED[node.pk] = {"programme": _programme_obj(tree, tree.a).pk, "id_number": _member(tree, node).id_number}
    return node.pk


def _member_ready_to_apply(tree, node) -> int:
    member = _member(tree, node)
    _PREPARED[node.pk] = {"programme": _programme_obj(tree, tree.a).pk}
    return member.pk


def _medical_ready_to_enrol(tree, node) -> int:
    programme = _medical_programme(tree, node)
    _PREPARED[node.pk] = {"id_number": _member(tree, node).id_number}
    return programme


def _application_form(tree, node):
    ready = _PREPARED[node.pk]
    return {"programme": ready["programme"], "id_number": ready["id_number"], "reason": "家中老人重病", "amount": "500"}


def _programme_form(tree, node):
    return {"kind": "summer_cooling", "name": f"夏送清凉{next(_seq)}", "year": YEAR, "period": f"s{next(_seq)}",
            "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR}-08-31", "review_levels": 1, "budget": "20000",
            "standard_amount": "200"}


def _hardship_form(tree, node):
    return {"name": "刘桂兰", "id_number": resident_id("19700101", next(_seq) % 1000), "cause": "disability",
            "level": "relative", "household_size": 2, "income_per_head": "800"}


ROUTES = {
    "aid:programmes": Route(CADRE_ANY),
    "aid:programme_create": scoped(_node, param="?node", data=_programme_form),
    # a county's programme and its lists are shown to the townships below (their share only); a
    # sibling's stay 404 — tests/aid/test_township_share.py
    "aid:programme": scoped(_programme, above=True),
    "aid:budget_set": scoped(_programme, data=lambda t, n: {"node": n.code, "amount": "5000"}, get=False),
    "aid:programme_close": scoped(_programme, data=lambda t, n: {}, get=False),
    "aid:publish": scoped(_programme_with_approved, data=lambda t, n: {}, get=False),
    "aid:publicity": scoped(_publicity, above=True),
    "aid:objection_decide": scoped(_objection, data=lambda t, n: {"decision": "dismiss", "note": "经核实符合条件"},
                                   get=False),
    "aid:objection_evidence": scoped(_objection_with_evidence),
    "aid:applications": Route(CADRE_ANY),
    "aid:application_create": scoped(_node_ready_to_apply, param="?node", data=_application_form),
    "aid:application": scoped(_aid_application, data=lambda t, n: {"action": "approve", "note": ""}),
    "aid:claim_document": scoped(_claim_document),
    "aid:ledger": Route(CADRE_ANY),
    "aid:ledger_export": Route(CADRE_ANY),
    "aid:hardship_list": Route(CADRE_ANY),
    "aid:hardship_create": scoped(_node, param="?node", data=_hardship_form),
    "aid:hardship": scoped(_hardship),
    "aid:hardship_review": scoped(_hardship, data=lambda t, n: {"level": "relative", "income_per_head": "900"},
                                  get=False),
    "aid:hardship_exit": scoped(_hardship, data=lambda t, n: {"reason": "家庭收入超过标准"}, get=False),
    "aid:hardship_document": scoped(_hardship, data=lambda t, n: {"title": "收入证明", "file": _jpeg()}, get=False),
    "aid:hardship_document_file": scoped(_document),
    "aid:enrolments": scoped(_medical_ready_to_enrol, above=True,  # a township's share of the county's
                             data=lambda t, n: {"id_number": _PREPARED[n.pk]["id_number"]}),
    "aid:enrol_union": scoped(_medical_programme, data=lambda t, n: {"node": n.code, "fee": "60"}, get=False),
    "aid:wishes": Route(CADRE_ANY),
    "aid:wish": scoped(_wish, data=lambda t, n: {"action": "claim", "helper": "青山农商银行"}),
    "aid:wish_photo": PUBLIC,  # only fulfilled wishes, whose list is public; 404 otherwise
    # worker pages
    "worker:aid": WORKER,
    "worker:aid_claim": WORKER,
    "worker:aid_apply": WORKER,
    "worker:aid_application": WORKER,  # the worker's own only (tests/aid/test_worker.py)
    "worker:aid_withdraw": WORKER,
    "worker:aid_claim_document": WORKER,  # the worker's own claims only (tests/aid/test_claim_photos.py)
    "worker:aid_publicity": PUBLIC,  # by its signed link; masked names; objecting needs a worker sign-in
    "worker:wishes": PUBLIC,       # the public list, names masked
    "worker:wish_new": WORKER,
    "worker:wish": PUBLIC,         # a wish, names masked; taking it on needs a worker sign-in
    # API
    "api:list_aid_programmes": Route(CADRE_ANY),
    "api:get_aid_programme": scoped(_programme, param="programme_id", above=True),
    "api:close_aid_programme": scoped(_programme, param="programme_id", data=lambda t, n: {}),
    "api:aid_figures": Route(CADRE_ANY),
    "api:list_aid_applications": Route(CADRE_ANY),
    "api:get_aid_application": scoped(_aid_application, param="application_id"),
    "api:create_aid_application": scoped(_member_ready_to_apply, param="", pk_field="member_id", data=lambda t, n: {
        "programme_id": _PREPARED[n.pk]["programme"], "reason": "家中老人重病", "amount": "600"}),
    "api:review_aid_application": scoped(_aid_application, param="application_id",
                                         data=lambda t, n: {"action": "approve"}),
    "api:pay_aid_application": scoped(_approved_application, param="application_id",
                                      data=lambda t, n: {"method": "bank"}),
    "api:reverse_aid_payment": scoped(_paid_application, param="application_id",
                                      data=lambda t, n: {"reason": "银行退票"}),
    "api:list_aid_ledger": Route(CADRE_ANY),
    "api:list_hardship_files": Route(CADRE_ANY),
    "api:get_hardship_file": scoped(_hardship, param="file_id"),
    "api:create_hardship_file": scoped(_node, param="", pk_field="node_id", data=lambda t, n: {
        **_hardship_form(t, n), "phone": "13912340000", "household": [{"name": "张小红", "relation": "女儿",
                                                                        "birth_year": 2012, "note": "初中在读"}]}),
    "api:list_aid_wishes": Route(CADRE_ANY),
    "api:list_aid_objections": Route(CADRE_ANY),
    "api:enrol_aid_union": scoped(_medical_programme, param="programme_id",
                                  data=lambda t, n: {"node_id": n.pk, "fee": "60"}),
    "api:decide_aid_objection": scoped(_objection, param="objection_id",
                                       data=lambda t, n: {"decision": "dismiss", "note": "经核实符合条件"}),
}

SIBLING_SEEDS = [_programme, _aid_application, _paid_application, _hardship, _wish, _publicity, _objection]
