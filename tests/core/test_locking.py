"""Each locking service locks only the row it means.

The services below read their related union, kind or category rows through ``select_related`` but
write only their own row: their ``SELECT … FOR UPDATE`` must name only their own table
(``FOR UPDATE OF "app_table"``), or a decision on one application would queue behind every other
piece of work on the same union. Each service is run for real and its SQL captured.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from gonghui.accounts.models import Worker
from gonghui.core.crypto import blind_index
from gonghui.core.errors import DomainError
from gonghui.funds.models import AwardCall, Project, ReviewRound
from gonghui.funds.services import awards, evaluation, projects
from gonghui.members.models import JoinApplication, Transfer
from gonghui.members.services import joining, roster, transfer
from gonghui.registration.models import Registration
from gonghui.registration.services import certificates
from tests.factories import make_user, resident_id
from tests.funds.kit import YEAR, project_at, setup
from tests.registration.conftest import office, office_key, registered, reviewer  # noqa: F401, F811 (fixtures)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite has no row locks: Django leaves FOR UPDATE out of its SQL there"),
]

FOR_UPDATE = re.compile(r"FOR UPDATE(?: OF (?P<of>(?:\"[^\"]+\"(?:, )?)+))?")


def locks_of(captured) -> list[str | None]:
    """For each locking query, what it names after ``FOR UPDATE OF`` (None when it locks every joined row)."""
    found = []
    for query in captured.captured_queries:
        match = FOR_UPDATE.search(query["sql"])
        if match:
            found.append(match.group("of"))
    return found


def assert_locks_only(captured, model) -> None:
    found = locks_of(captured)
    assert found, f"no FOR UPDATE was issued; expected one on {model._meta.db_table}"
    assert f'"{model._meta.db_table}"' in found, (model._meta.db_table, found)
    for named in found:
        assert named is not None, f"a FOR UPDATE without OF locks every joined row: {found}"
        assert named.count('"') == 2, f"a FOR UPDATE locks more than one table: {named}"


def _run(call):
    """Run the service and capture its SQL; a refusal after the lock (a step out of turn) still shows the lock."""
    with CaptureQueriesContext(connection) as captured:
        try:
            call()
        except DomainError:
            pass
    return captured


def test_a_transfer_decision_locks_the_transfer_not_either_union(tree):
    with scopes_disabled():
        reviewer = make_user("d_reviewer_lock", node=tree.d, roles=["reviewer"])
        member = roster.create_member(node=tree.c, actor=tree.user("b_clerk"), name="陈志强",
                                      id_number=resident_id("19820303", 315), employment_form="contract")
        pending = transfer.request_transfer(member=member, to_node=tree.d, actor=tree.user("b_clerk"))
        captured = _run(lambda: transfer.approve_transfer(transfer=pending, actor=reviewer, side="in"))
    assert_locks_only(captured, Transfer)


def test_a_join_decision_locks_the_application_not_the_union(tree):
    with scopes_disabled():
        link = joining.prepare_link(node=tree.c, actor=tree.user("b_clerk"))
    phone = "13912345678"
    worker = Worker.objects.create(phone=phone, phone_hash=blind_index(phone, purpose="phone"))
    application = joining.submit_application(
        link=link, worker=worker, name="赵小燕", id_number=resident_id("19950707", 246),
        employment_form="new_form", new_form_type="food_delivery", employer_name="城关镇美团配送站", consent=True)
    with scopes_disabled():
        captured = _run(lambda: joining.reject_application(application=application, actor=tree.user("b_admin"),
                                                           reason="材料不全"))
    assert_locks_only(captured, JoinApplication)


def test_a_project_step_locks_the_project_not_its_unions_kind_or_category(tree):
    setup(tree)
    project = project_at(tree, tree.b)
    with scopes_disabled():
        captured = _run(lambda: projects.add_file(project=project, actor=tree.user("b_admin"),
                                                  upload=_pdf(), purpose="application"))
    assert_locks_only(captured, Project)


def test_an_award_step_locks_the_call_not_its_union_or_category(tree):
    funds = setup(tree)
    with scopes_disabled():
        call = awards.create_call(node=tree.a, actor=tree.user("a_admin"), year=YEAR, title="示范乡镇工会评选",
                                  category=funds.award,
                                  indicators=[{"name": "组织建设", "max": 40}, {"name": "服务职工", "max": 60}],
                                  quotas=[{"name": "示范乡镇（街道）工会", "quota": 1, "reward": "50000"}])
        captured = _run(lambda: awards.close_nominations(call=call, actor=tree.user("a_admin")))
    assert_locks_only(captured, AwardCall)


def test_a_review_round_step_locks_the_round_not_its_union(tree):
    with scopes_disabled():
        admin = tree.user("a_admin")
        round_ = evaluation.create_round(node=tree.a, actor=admin, year=2026, title="述职评议", indicators=[
            {"name": "履职尽责", "weight": 40}, {"name": "组织建设", "weight": 30}, {"name": "服务职工", "weight": 30}])
        captured = _run(lambda: evaluation.close_round(round_=round_, actor=admin))
    assert_locks_only(captured, ReviewRound)


def test_issuing_a_certificate_locks_the_registration_not_the_office_or_union(tree, office, reviewer):  # noqa: F811
    registration = registered(tree, reviewer)
    with scopes_disabled():
        captured = _run(lambda: certificates.issue_certificate(registration=registration, actor=reviewer,
                                                               reason="change"))
    assert_locks_only(captured, Registration)


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")
