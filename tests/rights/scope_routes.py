"""Rights URLs in the scope proof (tests/test_scope_proof.py). Cases are built under a node by the
county admin; mediation targets are cases already in mediation with a mediator account ready."""

import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.accounts.models import Role, RoleAssignment, User
from gonghui.orgs.models import Node
from gonghui.rights.selectors import checklist_items
from tests.scope_kit import CADRE_ANY, NODE_SCOPED, PUBLIC, WORKER, Route, _node, scoped

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def claim_data(tree=None, node=None) -> dict:
    return {"category": "wage_arrears", "claimant_name": "刘大海", "claimant_phone": "13812345678",
        "employer_name": f"{node.name[:3] if node else ''}建筑劳务{next(_seq)}有限公司",
        "facts": "三个月工资未发放，共计一万八千六百元。", "amount_claimed": "18600", "workers_involved": 3}


def _case(tree, node: Node, *stages) -> int:
    from gonghui.rights.services import cases, claims

    admin = tree.user("a_admin")
    case = claims.file_claim(channel="hotline", node=Node.objects.get(pk=node.pk), actor=admin,
                             **claim_data(tree, node))
    for name in stages:
        cases.move_case(case=case, name=name, actor=admin, **({"handler": admin} if name == "assign" else {}))
    return case.pk


def _submitted(tree, node):
    return _case(tree, node)


def _mediating(tree, node):
    return _case(tree, node, "accept", "assign", "investigate", "mediate")


def _with_mediator(tree, node):
    """A case in B's reach plus a mediator account over the node, named after it (for the invite form)."""
    user, _created = User.objects.get_or_create(username=f"med_{node.pk}", defaults={"display_name": "县人社局调解员"})
    RoleAssignment.objects.get_or_create(user=user, node=Node.objects.get(pk=node.pk), role=Role.MEDIATOR)
    return _case(tree, node)


def _invited(tree, node):
    """A case of the node with the node's mediator invited to it (for withdrawing the invitation)."""
    from gonghui.rights.models import Case
    from gonghui.rights.services import cases

    pk = _with_mediator(tree, node)
    cases.invite_mediator(case=Case.objects.get(pk=pk), actor=tree.user("a_admin"), mediator=User.objects.get(
        username=f"med_{node.pk}"), partner="labour_bureau")
    return pk


def _document(tree, node):
    from gonghui.rights.models import Attachment, Case
    from gonghui.rights.services import cases

    pk = _case(tree, node)
    cases.comment_on_case(case=Case.objects.get(pk=pk), actor=tree.user("a_admin"), text="工资条",
                  files=[SimpleUploadedFile("工资条.pdf", PDF)])
    return Attachment.objects.filter(case_id=pk).latest("pk").pk


def _today(tree, node):
    return timezone.localdate().isoformat()


def _session_data(tree, node):
    return {"held_on": _today(tree, node), "place": "城关镇劳动争议调解室", "participants": "县人社局、镇总工会、企业代表",
            "result": "agreement"}


def _agreement_data(tree, node):
    return {"signed_on": _today(tree, node), "terms": "企业一次性支付拖欠工资", "amount": "18600"}


def _move_data(tree, node):
    return {"action": "accept"}


def _ledger_employer(tree, node) -> int:
    from tests.factories import make_employer

    return make_employer(Node.objects.get(pk=node.pk), name=f"{node.name[:3]}机械{next(_seq)}有限公司").pk


def _checkup(tree, node, *, risk=False) -> int:
    from gonghui.orgs.models import Employer
    from gonghui.rights.services import checkups

    employer = Employer.objects.get(pk=_ledger_employer(tree, node))
    findings = {item.code: {"result": "ok"} for item in list(checklist_items())}
    if risk:
        findings["overtime_pay"] = {"result": "risk", "note": "加班费按最低工资计", "rectify_by": "2099-12-31"}
    return checkups.record_checkup(employer=employer, actor=tree.user("a_admin"), visited_on=timezone.localdate(),
                                   inspectors="县总工会法律服务团", findings=findings).pk


def _risk_finding(tree, node) -> int:
    from gonghui.rights.models import Finding

    return Finding.objects.get(checkup_id=_checkup(tree, node, risk=True), result="risk").pk


def _checkup_form(tree, node):
    from gonghui.rights.models import CheckupItem

    data = {"visited_on": timezone.localdate().isoformat(), "inspectors": "县总工会法律服务团", "summary": ""}
    data.update({f"item_{code}": "ok" for code in CheckupItem.objects.values_list("code", flat=True)})
    return data


def _agreement_form(tree, node):
    return {"employer": "", "kind": "wage", "signed_on": timezone.localdate().isoformat(), "term_months": 36,
            "wage_growth": "5.5", "workers_covered": 120, "has_congress": "on"}


def _item_data(tree, node):
    return {"title": f"竞业限制约定合法{next(_seq)}", "basis": "《劳动合同法》第二十三条、第二十四条"}


ROUTES = {
    # console
    "rights:cases": Route(NODE_SCOPED, target=_node, param="?node"),
    "rights:cases_export": Route(NODE_SCOPED, target=_node, param="?node"),
    "rights:case": scoped(_submitted),
    "rights:case_move": scoped(_submitted, data=_move_data, get=False),
    "rights:case_comment": scoped(_submitted, data=lambda t, n: {"text": "已电话联系企业负责人"}, get=False),
    "rights:case_extend": scoped(_submitted, data=lambda t, n: {"workdays": 5, "reason": "等待企业提供工资台账"}, get=False),
    "rights:case_invite": scoped(_with_mediator, data=lambda t, n: {"mediator": f"med_{n.pk}", "partner": "labour_bureau"},
                                 get=False),
    "rights:case_uninvite": scoped(_invited, data=lambda t, n: {"mediator": f"med_{n.pk}"}, get=False),
    "rights:case_session": scoped(_mediating, data=_session_data, get=False),
    "rights:case_agreement": scoped(_mediating, data=_agreement_data, get=False),
    "rights:case_reveal": scoped(_submitted, data=lambda t, n: {}, get=False),
    "rights:document": scoped(_document),
    "rights:claim_new": scoped(_node, param="?node", data=lambda t, n: {**claim_data(t, n), "channel": "hotline"}),
    "rights:figures": Route(NODE_SCOPED, target=_node, param="?node"),
    "rights:checkups": Route(NODE_SCOPED, target=_node, param="?node"),
    "rights:checkup": scoped(_checkup),
    "rights:checkup_new": scoped(_ledger_employer, param="?employer", data=_checkup_form),
    "rights:finding_rectify": scoped(_risk_finding, data=lambda t, n: {
        "rectified_on": timezone.localdate().isoformat(), "follow_up": "已补发加班费"}, get=False),
    "rights:agreements": Route(NODE_SCOPED, target=_node, param="?node"),
    "rights:agreement_new": scoped(_node, param="?node", data=_agreement_form),
    # the check-up template is one list for the platform: any cadre reads it, county cadres edit it
    # (tests/rights/test_checklist.py: a township admin is refused and nothing changes)
    "rights:checklist": Route(CADRE_ANY, param=""),
    "rights:checklist_item": Route(CADRE_ANY),
    "rights:checklist_move": Route(CADRE_ANY, get=False),
    "rights:checklist_retire": Route(CADRE_ANY, get=False),
    "rights:checklist_restore": Route(CADRE_ANY, get=False),
    # worker pages: the worker's own claims only (tests/rights/test_worker_pages.py)
    "worker:claims": WORKER,
    "worker:claim_new": WORKER,
    "worker:claim": WORKER,
    "worker:claim_add": WORKER,
    "worker:claim_withdraw": WORKER,
    "worker:claim_document": WORKER,
    "worker:claim_track": PUBLIC,  # a tracking code shows steps only; rate-limited
    # API
    "api:list_cases": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:export_cases": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:create_claim": scoped(_node, param="", pk_field="node_id", data=lambda t, n: claim_data(t, n)),
    "api:get_case": scoped(_submitted, param="case_id"),
    "api:move_case": scoped(_submitted, param="case_id", data=_move_data),
    "api:comment_case": scoped(_submitted, param="case_id", data=lambda t, n: {"text": "已联系企业"}),
    "api:add_case_document": scoped(_submitted, param="case_id",
                                    data=lambda t, n: {"file": SimpleUploadedFile("欠条.pdf", PDF)}),
    "api:extend_case_deadline": scoped(_submitted, param="case_id",
                                       data=lambda t, n: {"workdays": 3, "reason": "等待材料"}),
    "api:invite_mediator": scoped(_with_mediator, param="case_id",
                                  data=lambda t, n: {"mediator": f"med_{n.pk}", "partner": "court"}),
    "api:revoke_mediator_invitation": scoped(_invited, param="case_id", data=lambda t, n: {"mediator": f"med_{n.pk}"}),
    "api:record_mediation_session": scoped(_mediating, param="case_id", data=_session_data),
    "api:record_mediation_agreement": scoped(_mediating, param="case_id", data=_agreement_data),
    "api:reveal_claimant": scoped(_submitted, param="case_id", data=lambda t, n: {}),
    "api:rights_indicators": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:list_checkups": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:list_collective_agreements": Route(NODE_SCOPED, target=_node, param="?node"),
    "api:list_checklist_items": Route(CADRE_ANY, param=""),
    "api:add_checklist_item": Route(CADRE_ANY, param="", data=_item_data),
    "api:reorder_checklist": Route(CADRE_ANY, param="", data=lambda t, n: {"ids": [1, 2]}),
    "api:reword_checklist_item": Route(CADRE_ANY, data=_item_data),
    "api:retire_checklist_item": Route(CADRE_ANY, data=lambda t, n: {}),
    "api:restore_checklist_item": Route(CADRE_ANY, data=lambda t, n: {}),
}

SIBLING_SEEDS = [_submitted, _mediating, _checkup]
