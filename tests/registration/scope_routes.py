"""Registration's URLs in the scope proof (tests/test_scope_proof.py)."""

import datetime
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.orgs.models import Node
from tests.factories import credit_code, resident_id
from tests.scope_kit import CADRE_ANY, NODE_SCOPED, PUBLIC, Route, _child, scoped

_seq = itertools.count(700)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

FORM = {
    "address": "青山县工业路18号", "founded_on": "2015-04-20",
    "elected_on": (timezone.localdate() - datetime.timedelta(days=300)).isoformat(), "term_years": 5,
    "approving_body": "上级工会", "chair_name": "李国栋", "legal_rep_name": "李国栋",
    "legal_rep_id_number": resident_id("19750312", 35), "funding_source": "工会经费拨缴", "worker_count": 30,
    "member_count": 20,
}


def _office(node: Node):
    from gonghui.registration.services import offices

    return offices.designate_office(node=Node.objects.get(pk=node.pk), actor=None)


def _union_under(tree, node: Node) -> Node:
    """A fresh union below ``node``, with ``node`` as its registration office."""
    _office(node)
    return Node.objects.get(pk=_child(tree, node))


def _application(tree, node: Node, *, submit: bool = False, kind: str = "establish", union: Node | None = None,
                 upload: bool = False):
    """Filed by a_admin (so that b_admin may review it), for a union below ``node``."""
    from gonghui.registration import selectors
    from gonghui.registration.services import applications

    union = union or _union_under(tree, node)
    actor = tree.user("a_admin")
    fields = {**FORM, "name": f"{union.name}"} if kind == "establish" else {"reason": "工会撤销"}
    application = applications.create_application(node=union, kind=kind, actor=actor, **fields)
    if submit or upload:
        for item in selectors.checklist(application):
            applications.upload_material(application=application, item=item,
                                         upload=SimpleUploadedFile(f"{item}.pdf", PDF), actor=actor)
    if submit:
        application = applications.submit_application(application=application, actor=actor)
    return application


def _draft_pk(tree, node):
    return _application(tree, node).pk


def _submitted_pk(tree, node):
    return _application(tree, node, submit=True).pk


def _registration(tree, node):
    from gonghui.registration.services import applications

    application = _application(tree, node, submit=True)
    reviewer = tree.user("d_admin") if node.pk == tree.d.pk else tree.user("b_admin")
    if node.pk == tree.a.pk:
        from tests.factories import make_user

        reviewer = make_user(f"a_rev{next(_seq)}", node=tree.a, roles=["reviewer"])
    return applications.approve_application(application=application, actor=reviewer,
                                            credit_code=credit_code(authority="8", kind="1")).registration


def _registration_pk(tree, node):
    return _registration(tree, node).pk


def _material_pk(tree, node):
    from gonghui.registration.services import applications

    application = _application(tree, node)
    return applications.upload_material(application=application, item="application_form",
                                        upload=SimpleUploadedFile("form.pdf", PDF), actor=tree.user("a_admin")).pk


def _certificate_pk(tree, node):
    """A certificate row with a stored file (signing is tested in tests/registration; the scope
    proof runs without an office key)."""
    import hashlib

    from django.utils import timezone

    from gonghui.core.uploads import store
    from gonghui.registration.models import Certificate

    registration = _registration(tree, node)
    existing = registration.certificates.first()
    if existing is not None:
        return existing.pk
    return Certificate.objects.create(
        registration=registration, serial=f"T{next(_seq)}", version=registration.version, reason="establish",
        issued_at=timezone.now(), stored_name=store(PDF, folder="registration/certificates", extension="pdf"),
        sha256=hashlib.sha256(PDF).hexdigest(), valid_until=registration.valid_until).pk


def _with_office_above(tree, node) -> int:
    """``node`` itself, with a registration office set up above it (the county for a root)."""
    parent = Node.objects.filter(path=node.path[:-Node.steplen]).first() if node.depth > 1 else None
    _office(parent or node)
    return node.pk


def _node_pk(tree, node):
    return node.pk


def _designated_pk(tree, node):
    """``node`` designated a registration office (system work), for withdrawing it."""
    _office(node)
    return node.pk


ROUTES = {
    "registration:offices": Route(CADRE_ANY),
    # Only the registration authority (the county) designates: a township admin is refused inside too.
    "registration:office_designate": scoped(_node_pk, param="?node", data=lambda t, n: {}, get=False,
                                             refused_inside=True),
    "registration:office_withdraw": scoped(_designated_pk, data=lambda t, n: {}, get=False, refused_inside=True),
    "api:list_registration_offices": Route(CADRE_ANY),
    "api:designate_registration_office": scoped(_node_pk, param="", pk_field="node_id",
                                                data=lambda t, n: {}, refused_inside=True),
    "api:withdraw_registration_office": scoped(_designated_pk, param="node_id", data=lambda t, n: {},
                                               refused_inside=True),
    "registration:applications": Route(CADRE_ANY, query={"status": ""}),
    "registration:application_create": scoped(_with_office_above, param="?node",
                                               data=lambda t, n: {"kind": "establish"}),
    "registration:application": scoped(_submitted_pk, data=lambda t, n: {"action": "return",
                                                                         "reason_form": "批准文号有误"}),
    "registration:application_edit": scoped(_draft_pk, data=lambda t, n: {"address": "青山县工业路20号"}),
    "registration:material_upload": scoped(_draft_pk, get=False, data=lambda t, n: {
        "item": "application_form", "file": SimpleUploadedFile("form.pdf", PDF)}),
    "registration:material": scoped(_material_pk),
    "registration:register": Route(CADRE_ANY, query={"q": ""}),
    "registration:register_export": Route(NODE_SCOPED, target=_node_pk, param="?node"),
    "api:export_registrations": Route(NODE_SCOPED, target=_node_pk, param="?node"),
    "registration:registration": scoped(_registration_pk),
    "registration:certificate_issue": scoped(_registration_pk, get=False, data=lambda t, n: {}),
    "registration:certificate_pdf": scoped(_certificate_pk),
    "registration:verify_token": PUBLIC,
    "registration:verify": PUBLIC,
    "api:list_registration_applications": Route(CADRE_ANY),
    "api:create_registration_application": scoped(
        _with_office_above, param="", pk_field="node_id",
        data=lambda t, n: {"kind": "establish", **FORM, "name": f"新建{next(_seq)}工会"}),
    "api:get_registration_application": scoped(_draft_pk, param="application_id"),
    "api:update_registration_application": scoped(_draft_pk, param="application_id",
                                                  data=lambda t, n: {"address": "青山县工业路20号"}),
    "api:upload_registration_material": scoped(_draft_pk, param="application_id", data=lambda t, n: {
        "item": "application_form", "file": SimpleUploadedFile("form.pdf", PDF)}),
    "api:submit_registration_application": scoped(lambda t, n: _application(t, n, upload=True).pk,
                                                  param="application_id", data=lambda t, n: {}),
    "api:review_registration_application": scoped(_submitted_pk, param="application_id", data=lambda t, n: {
        "approve": False, "reasons": {"form": "批准文号有误"}}),
    "api:list_registrations": Route(CADRE_ANY),
    "api:get_registration": scoped(_registration_pk, param="registration_id"),
    "api:download_registration_certificate": scoped(_certificate_pk, param="certificate_id"),
    "api:registration_figures": Route("node-scoped", target=lambda t, n: n.pk, param="?node"),
    "api:verify_registration_certificate": PUBLIC,
}

SIBLING_SEEDS = [_submitted_pk, _registration_pk]
