"""Every URL of funds in the scope proof (tests/test_scope_proof.py).

Targets build an object under a node and return its pk. Actions that need a finance officer make
b_admin one at township B too (a finance role at B covers C, never D or the county A above), so
"inside" requests really succeed, and "outside" ones are refused for scope, not for the role.
"""

import datetime

from gonghui.accounts.models import Role, RoleAssignment
from gonghui.funds.models import (
    AwardCall,
    AwardQuota,
    ChairReport,
    FieldVisit,
    Nomination,
    ReviewRound,
    WorkGroup,
)
from gonghui.funds.services import allocations, awards, evaluation, ledger
from gonghui.orgs.models import Node
from tests.funds import kit
from tests.scope_kit import CADRE_ANY, NODE_SCOPED, Route, _seq, scoped


def _finance_b(tree) -> None:
    RoleAssignment.objects.get_or_create(user=tree.user("b_admin"), node=tree.b, role=Role.FINANCE)


def _plan(tree, node) -> int:
    kit.setup(tree)
    return ledger.create_plan(node=node, actor=tree.user("a_fin"), name=f"{node.name}经费计划{next(_seq)}",
                              start_year=2026, end_year=2027, total="100000",
                              categories=[{"name": "补助", "target_amount": "100000"}]).pk


def _payment(tree, node) -> int:
    """A payment of ``node`` prepared by the county's admin; b_admin is a finance officer of B."""
    funds = kit.setup(tree)
    _finance_b(tree)
    if node.pk == tree.c.pk:
        kit.hand_down(tree, from_node=tree.b, targets=[(node, "5000")], category=funds.subsidy)
    return ledger.prepare_payment(node=node, year=kit.YEAR, category=funds.subsidy, amount="1000",
                                  payee_name=f"{node.name}困难职工", purpose=f"{node.name}慰问金",
                                  actor=tree.user("a_admin")).pk


def _paid_payment(tree, node) -> int:
    pk = _payment(tree, node)
    from gonghui.funds.models import Payment

    ledger.approve_payment(payment=Payment.objects.get(pk=pk), actor=tree.user(
        {tree.c.pk: "b_fin", tree.d.pk: "d_fin"}.get(node.pk, "a_fin")))
    return pk


def _project(tree, node) -> int:
    """A project of ``node`` reviewed by its parent; one of A (no parent) is reviewed by A itself's plan holder."""
    if node.depth == 1:
        funds = kit.setup(tree)
        from gonghui.funds.models import Project

        return Project.objects.create(node=node, reviewer_node=node, kind=kit.kind(), title=f"{node.name}职工之家",
                                      year=kit.YEAR, category=funds.construction, address="县前街1号",
                                      description="新建", budget_total=100000, subsidy_requested=50000,
                                      applied_by=tree.user("a_admin")).pk
    return kit.project_at(tree, node).pk


def _project_file(tree, node) -> int:
    from gonghui.funds.services import projects

    project = _project(tree, node)
    from gonghui.funds.models import Project

    return projects.add_file(project=Project.objects.get(pk=project), actor=tree.user("a_admin"), upload=kit.pdf()).pk


def _call(tree, node) -> int:
    funds = kit.setup(tree)
    return awards.create_call(node=node, actor=tree.user("a_admin"), year=kit.YEAR, title=f"{node.name}示范创建评选",
                              category=funds.award, indicators=[{"name": "组织建设", "max": 60},
                                                                {"name": "服务职工", "max": 40}],
                              quotas=[{"name": "示范乡镇工会", "quota": 1, "reward": "20000"}]).pk


def _nomination(tree, node) -> int:
    """A nominee ``node`` in a call of its parent (for the county A, one it organizes itself), in scoring."""
    parent = Node.objects.get_parent(node) or node
    call = AwardCall.objects.get(pk=_call(tree, parent))
    quota = AwardQuota.objects.get(call=call)
    if parent.pk == node.pk:
        nomination = Nomination.objects.create(quota=quota, node=node, statement="自荐",
                                               nominated_by=tree.user("a_admin"))
    else:
        nomination = awards.nominate_for_award(quota=quota, node=node, actor=tree.user("a_admin"), statement="组织健全，服务有力")
    awards.close_nominations(call=call, actor=tree.user("a_admin"))
    return nomination.pk


def _quota_of_child_call(tree, node) -> int:
    parent = Node.objects.get_parent(node) or node
    return AwardQuota.objects.get(call_id=_call(tree, parent)).pk


def _parent(node):
    return Node.objects.get_parent(node) or node


def _round(tree, node) -> int:
    """A review round of ``node``'s parent (the county A organizes its own for A)."""
    kit.setup(tree)
    return evaluation.create_round(node=_parent(node), actor=tree.user("a_admin"), year=kit.YEAR,
                                   title=f"{node.name}主席述职评议",
                                   indicators=[{"name": "履职尽责", "weight": 60}, {"name": "服务职工", "weight": 40}]).pk


def _chair_report(tree, node) -> int:
    round_ = ReviewRound.objects.get(pk=_round(tree, node))
    if round_.node_id == node.pk:
        return ChairReport.objects.create(round=round_, node=node, chair_name="沈建国", text="述职报告",
                                          submitted_by=tree.user("a_admin")).pk
    return evaluation.submit_report(round_=round_, node=node, actor=tree.user("a_admin"), chair_name="陈立新",
                                    text=f"{node.name}主席述职报告").pk


def _scored_round(tree, node) -> int:
    report = ChairReport.objects.get(pk=_chair_report(tree, node))
    evaluation.score_report(report=report, actor=tree.user("a_admin"), reviewer="评议代表甲",
                            marks={"履职尽责": "88", "服务职工": "92"})
    return report.round_id


def _group(tree, node) -> int:
    return evaluation.create_group(node=node, actor=tree.user("a_admin"), year=kit.YEAR, name=f"{node.name}蹲点工作组",
                                   leader="李建华").pk


def _visit(tree, node) -> int:
    group = WorkGroup.objects.get(pk=_group(tree, _parent(node)))
    return evaluation.record_visit(group=group, node=node, actor=tree.user("a_admin"), on=datetime.date(2026, 3, 5),
                                   opinions=12, notes=f"走访{node.name}").pk


def _problem(tree, node) -> int:
    visit = FieldVisit.objects.get(pk=_visit(tree, node))
    return evaluation.record_problem(visit=visit, actor=tree.user("a_admin"), text=f"{node.name}职工活动场所不足").pk


def _funded(tree, node) -> int:
    """The node itself, once the county's plan and budgets exist (payloads name their categories)."""
    kit.setup(tree)
    return node.pk


def _allocation(tree, node) -> int:
    """An allocation received by ``node`` from its parent (for A, the top: one A handed down to D)."""
    funds = kit.setup(tree)
    if node.pk == tree.a.pk:
        node = tree.d
    giver = Node.objects.get_parent(Node.objects.get(pk=node.pk))
    return kit.hand_down(tree, from_node=giver, targets=[(Node.objects.get(pk=node.pk), "3000")],
                         category=funds.subsidy)[0].pk


def _order(tree, node) -> int:
    """An allocation order waiting for approval. Inside (C): B's order to C, prepared by b_fin, so b_admin (a
    manager of B) may approve it; outside (A, D): A's order to D, prepared by a_fin."""
    funds = kit.setup(tree)
    giver, preparer, receiver = ((tree.b, "b_fin", tree.c) if node.pk == tree.c.pk else (tree.a, "a_fin", tree.d))
    return allocations.prepare_allocation(actor=tree.user(preparer), from_node=giver,
                                          targets=[(Node.objects.get(pk=receiver.pk), "3000")], year=kit.YEAR,
                                          category=funds.subsidy).pk


def _plan_form(tree, node):
    return {"node_id": node.pk, "name": "新建计划", "start_year": 2026, "end_year": 2027, "total": "1000",
            "categories": [{"name": "补助", "target_amount": "1000"}]}


def _category_pk(tree):
    return kit.setup(tree).subsidy.pk


ROUTES = {
    # console
    "funds:home": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:plans": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:plan": scoped(_plan),
    "funds:budgets": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:allocations": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:allocation_reverse": scoped(_allocation, get=False, data=lambda t, n: {"reason": "金额录入错误"}),
    "funds:allocation_order_approve": scoped(_order, get=False),
    "funds:allocation_order_reject": scoped(_order, get=False, data=lambda t, n: {"reason": "拨付对象有误"}),
    "funds:payments": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:payment": scoped(_payment, data=lambda t, n: {"decision": "approve"}),
    "funds:ledger": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:ledger_export": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:plan_export": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:export_fund_ledger": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:export_funds_summary": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:projects": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:project_kinds": Route(CADRE_ANY),   # types are shared by the installation, edited by county admins
    "funds:project_kind": Route(CADRE_ANY),
    "funds:project_create": scoped(_funded, param="?node", data=lambda t, n: {
        "kind": kit.kind().pk, "title": "职工之家建设", "year": kit.YEAR, "category": kit.setup(t).construction.pk,
        "reviewer_node": (Node.objects.get_parent(n) or n).pk, "address": "人民路8号", "description": "改造活动室",
        "budget_total": "100000", "subsidy_requested": "40000"}),
    "funds:project": scoped(_project, data=lambda t, n: {"action": "review", "approve": "1"}),
    "funds:project_file": scoped(_project_file),
    "funds:awards": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:award": scoped(_call, data=lambda t, n: {"what": "close_nominations"}),
    # API: plans, budgets, allocations
    "api:list_fund_plans": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:create_fund_plan": scoped(_funded, param="", pk_field="node_id", data=_plan_form),
    "api:funds_summary": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:set_fund_budget": scoped(_funded, param="", pk_field="node_id", data=lambda t, n: {
        "year": kit.YEAR, "category_id": _category_pk(t), "amount": "1000"}),
    "api:list_fund_allocations": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:reverse_fund_allocation": scoped(_allocation, param="allocation_id",
                                          data=lambda t, n: {"reason": "金额录入错误"}),
    # from the node's parent (B for C, A for D; A itself for A) down to the node
    "api:list_fund_allocation_orders": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:approve_fund_allocation_order": scoped(_order, param="order_id", data=lambda t, n: {}),
    "api:reject_fund_allocation_order": scoped(_order, param="order_id", data=lambda t, n: {"reason": "拨付对象有误"}),
    "api:prepare_fund_allocation_order": scoped(_funded, param="", data=lambda t, n: {
        "from_node_id": (Node.objects.get_parent(n) or n).pk, "year": kit.YEAR, "category_id": _category_pk(t),
        "targets": [{"node_id": n.pk, "amount": "100"}]}),
    # payments and the ledger
    "api:list_fund_payments": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:prepare_fund_payment": scoped(_funded, param="", pk_field="node_id", data=lambda t, n: {
        "year": kit.YEAR, "category_id": _category_pk(t), "amount": "100", "purpose": "慰问", "payee_name": "某职工"}),
    "api:get_fund_payment": scoped(_payment, param="payment_id"),
    "api:decide_fund_payment": scoped(_payment, param="payment_id", data=lambda t, n: {"approve": True}),
    "api:reverse_fund_payment": scoped(_paid_payment, param="payment_id", data=lambda t, n: {"reason": "重复支付"}),
    "api:list_fund_ledger": Route(NODE_SCOPED, target=_funded, param="?node"),
    # projects
    "api:list_projects": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:apply_project": scoped(_funded, param="", pk_field="node_id", data=lambda t, n: {
        "kind": "workers_home_new", "title": "职工之家建设", "year": kit.YEAR,
        "category_id": kit.setup(t).construction.pk, "address": "人民路8号", "description": "改造活动室",
        "budget_total": "100000", "subsidy_requested": "40000"}),
    "api:get_project": scoped(_project, param="project_id"),
    "api:act_on_project": scoped(_project, param="project_id", data=lambda t, n: {"action": "review", "approve": True}),
    "api:upload_project_file": scoped(_project, param="project_id", data=lambda t, n: {"file": kit.pdf()}),
    # awards
    "api:list_award_calls": Route(CADRE_ANY),
    "api:create_award_call": scoped(_funded, param="", pk_field="node_id", data=lambda t, n: {
        "year": kit.YEAR, "title": "示范评选", "category_id": kit.setup(t).award.pk,
        "indicators": [{"name": "组织建设", "max": 100}], "quotas": [{"name": "示范", "quota": 2, "reward": "1000"}]}),
    "api:list_nominations": scoped(_call, param="call_id"),
    "api:nominate": scoped(_quota_of_child_call, param="", pk_field="quota_id", data=lambda t, n: {
        "node_id": t.c.pk, "statement": "服务职工成效明显"}),
    "api:score_nomination": scoped(_nomination, param="nomination_id", data=lambda t, n: {
        "scorer": f"评委{next(_seq)}", "marks": {"组织建设": "50", "服务职工": "35.5"}}),
    "api:advance_award_call": scoped(_call, param="call_id", data=lambda t, n: {"step": "close_nominations"}),
    # chair reviews and field work
    "funds:reviews": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:review": scoped(_scored_round, data=lambda t, n: {"what": "close"}),
    "funds:fieldwork": Route(NODE_SCOPED, target=_funded, param="?node"),
    "funds:work_group": scoped(_group, data=lambda t, n: {"what": "visit", "node": n.pk, "on": "2026-03-05",
                                                          "opinions": "3"}),
    "api:list_review_rounds": Route(CADRE_ANY),
    "api:create_review_round": scoped(_funded, param="", pk_field="node_id", data=lambda t, n: {
        "year": kit.YEAR, "title": "述职评议", "indicators": [{"name": "履职", "weight": 100}]}),
    "api:list_chair_reports": scoped(_round, param="round_id"),
    "api:submit_chair_report": scoped(_round, param="round_id", data=lambda t, n: {
        "node_id": n.pk, "chair_name": "陈立新", "text": "述职报告"}),
    "api:score_chair_report": scoped(_chair_report, param="report_id", data=lambda t, n: {
        "reviewer": f"评议代表{next(_seq)}", "marks": {"履职尽责": "80", "服务职工": "90.5"}}),
    "api:close_review_round": scoped(_scored_round, param="round_id", data=lambda t, n: {}),
    "api:field_summary": Route(NODE_SCOPED, target=_funded, param="?node"),
    "api:list_work_groups": Route(CADRE_ANY),
    "api:create_work_group": scoped(_funded, param="", pk_field="node_id", data=lambda t, n: {
        "year": kit.YEAR, "name": "蹲点组", "leader": "李建华"}),
    "api:record_field_visit": scoped(_group, param="group_id", data=lambda t, n: {
        "node_id": n.pk, "on": "2026-03-05", "opinions": 4}),
    "api:add_field_problem": scoped(_visit, param="visit_id", data=lambda t, n: {"text": "职工书屋藏书不足"}),
    "api:add_field_measure": scoped(_problem, param="problem_id", data=lambda t, n: {
        "text": "协调县图书馆配送图书", "difficulties_solved": 2, "solved": True}),
}


def _seed_project(tree, node) -> int:
    return _project(tree, node)


def _seed_payment(tree, node) -> int:
    return _paid_payment(tree, node)


SIBLING_SEEDS = [_plan, _seed_project, _seed_payment, _call, _scored_round, _problem]
