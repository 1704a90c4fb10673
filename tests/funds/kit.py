"""Building blocks of funds tests and of the scope proof's targets.

``setup(tree)`` adds finance officers and a three-year plan of the county A with a 2026 budget
of 1,000,000 yuan per category, and hands 200,000 yuan of each down to township B (and D), so
B can pay subsidies and rewards of its own subtree. It is cached on the tree.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from PIL import Image

from gonghui.accounts.models import Role
from gonghui.funds.kinds import ensure_project_kinds
from gonghui.funds.models import CategoryKind, PlanCategory, Project, ProjectKind
from gonghui.funds.services import allocations, ledger, projects
from gonghui.orgs.models import Node
from tests.factories import make_user

YEAR = 2026


@dataclass
class Funds:
    plan: object
    construction: PlanCategory
    award: PlanCategory
    subsidy: PlanCategory


def setup(tree) -> Funds:
    cached = getattr(tree, "_funds", None)
    if cached is not None:
        return cached
    with scopes_disabled():
        for name, node in (("a_fin", tree.a), ("a_fin2", tree.a), ("b_fin", tree.b), ("b_fin2", tree.b),
                           ("d_fin", tree.d)):
            tree.users[name] = make_user(name, node=node, roles=[Role.FINANCE])
        tree.users["b_reviewer"] = make_user("b_reviewer", node=tree.b, roles=[Role.REVIEWER])
        tree.users["a_reviewer"] = make_user("a_reviewer", node=tree.a, roles=[Role.REVIEWER])
        a_fin = tree.user("a_fin")
        plan = ledger.create_plan(node=tree.a, actor=a_fin, name="基层工会建设三年行动", start_year=2025,
                                  end_year=2027, total="9000000", categories=[
                                      {"name": "阵地建设", "kind": CategoryKind.CONSTRUCTION,
                                       "target_amount": "3000000", "target_count": 30, "target_unit": "个"},
                                      {"name": "示范创建以奖代补", "kind": CategoryKind.AWARD,
                                       "target_amount": "3000000", "target_count": 50, "target_unit": "家"},
                                      {"name": "乡镇工会经费补助", "kind": CategoryKind.SUBSIDY,
                                       "target_amount": "3000000"},
                                  ])
        cats = {c.name: c for c in plan.categories.all()}
        for category in cats.values():
            ledger.set_budget(node=tree.a, year=YEAR, category=category, amount="1000000", actor=a_fin)
            allocations.approve_allocation(actor=tree.user("a_fin2"), order=allocations.prepare_allocation(
                actor=a_fin, from_node=tree.a, targets=[(tree.b, "200000"), (tree.d, "200000")], year=YEAR,
                category=category))
        tree.b, tree.c, tree.d = (Node.objects.get(pk=n.pk) for n in (tree.b, tree.c, tree.d))
    tree._funds = Funds(plan=plan, construction=cats["阵地建设"], award=cats["示范创建以奖代补"],
                        subsidy=cats["乡镇工会经费补助"])
    return tree._funds


def hand_down(tree, *, from_node, targets, category, year=YEAR, preparer: str = "", approver: str = "", **kw):
    """Money handed down as a county does it: an order prepared by one finance officer of the giving union and
    approved by another (a_fin / a_fin2 at A, b_fin / b_fin2 at B). Returns the booked allocations."""
    prefix = "b" if from_node.pk == tree.b.pk else "a"
    order = allocations.prepare_allocation(actor=tree.user(preparer or f"{prefix}_fin"), from_node=from_node,
                                           targets=targets, year=year, category=category, **kw)
    return allocations.approve_allocation(actor=tree.user(approver or f"{prefix}_fin2"), order=order)


def photo(name: str = "photo.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")


def kind(code: str = "workers_home_new") -> ProjectKind:
    ensure_project_kinds()  # a flushed database (transactional tests) has lost migration 0002's rows
    return ProjectKind.objects.get(code=code)


def project_at(tree, node: Node, *, reviewer: Node | None = None, title: str = "职工之家建设") -> Project:
    """A project applied for by ``node``, reviewed by its parent (or ``reviewer``)."""
    funds = setup(tree)
    node = Node.objects.get(pk=node.pk)
    reviewer = Node.objects.get(pk=(reviewer or Node.objects.get_parent(node)).pk)
    applicant = tree.user({tree.c.pk: "b_admin", tree.b.pk: "b_admin", tree.d.pk: "d_admin"}.get(node.pk, "a_admin"))
    with scopes_disabled():
        return projects.apply_for_project(node=node, actor=applicant, kind=kind(), title=f"{node.name[:6]}{title}", year=YEAR,
                              category=funds.construction, address="青山县城关镇人民路8号", area_sqm=180,
                              description="改造活动室、阅览室，添置健身器材。", budget_total="120000",
                              subsidy_requested="50000", reviewer_node=reviewer, lat="30.628", lng="119.784")


def reviewer_of(tree, project) -> object:
    return tree.user({tree.b.pk: "b_admin", tree.a.pk: "a_admin", tree.d.pk: "d_admin"}[project.reviewer_node_id])


def advance(tree, project, until: str) -> Project:
    """Take a project through the steps up to the state ``until``."""
    from gonghui.funds.models import ProjectState as S

    order = [S.APPLIED, S.REVIEWED, S.APPRAISED, S.PUBLICITY, S.IMPLEMENTING, S.COMPLETED, S.ACCEPTED,
             S.SUBSIDY_PENDING, S.PAID]
    reviewer = reviewer_of(tree, project)
    applicant = tree.user({tree.c.pk: "b_admin", tree.b.pk: "b_admin", tree.d.pk: "d_admin"}.get(
        project.node_id, "a_admin"))
    with scopes_disabled():
        project = Project.objects.get(pk=project.pk)
        while order.index(project.state) < order.index(until):
            state = project.state
            if state == S.APPLIED:
                projects.pass_review(project=project, actor=reviewer, comment="材料齐全")
            elif state == S.REVIEWED:
                for i, score in enumerate(("86", "90", "78.5")):
                    projects.record_score(project=project, actor=reviewer, panelist=f"评委{i + 1}", score=score)
                projects.conclude_appraisal(project=project, actor=reviewer)
            elif state == S.APPRAISED:
                projects.start_publicity(project=project, actor=reviewer, on=datetime.date(2026, 3, 2))
            elif state == S.PUBLICITY:  # the day after the objection period, whatever today is
                projects.approve_project(project=project, actor=reviewer,
                                 on=project.publicity_until + datetime.timedelta(days=1))
            elif state == S.IMPLEMENTING:
                projects.report_progress(project=project, actor=applicant, percent=100, text="全部完工",
                                         spent="118000", photos=[photo()])
                projects.complete_project(project=project, actor=applicant)
            elif state == S.COMPLETED:
                projects.accept_project(project=project, actor=reviewer,
                                checklist={item: True for item in project.kind.standard}, notes="四有齐全")
            elif state == S.ACCEPTED:
                projects.request_subsidy(project=project, actor=reviewer)
            elif state == S.SUBSIDY_PENDING:
                payment = project.payments.get(status="prepared")
                fin = {tree.b.pk: "b_fin", tree.a.pk: "a_fin", tree.d.pk: "d_fin"}[project.reviewer_node_id]
                ledger.approve_payment(payment=payment, actor=tree.user(fin))
            project = Project.objects.get(pk=project.pk)
    return project
