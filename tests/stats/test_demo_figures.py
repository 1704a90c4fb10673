"""For the demo county, every figure of the dashboard equals a direct count of the records behind it."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.console.demo import find_demo_root, load_demo
from gonghui.core import indicators as registry
from gonghui.core.indicators import percent
from gonghui.members.models import Member
from gonghui.orgs import selectors as orgs
from gonghui.orgs.models import GRASSROOTS_KINDS, Employer, Node, NodeKind, StaffKind, UnionStaff
from gonghui.stats import dashboard as dash


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo()
            yield
            transaction.set_rollback(True)


def direct(root: Node) -> dict:
    """Plain queries of today's records, written without the indicator declarations."""
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    nodes = Node.objects.filter(path__startswith=root.path, status="active")
    members = Member.objects.filter(node__path__startswith=root.path, status="active")
    employers = Employer.objects.filter(node__path__startswith=root.path)
    staff = UnionStaff.objects.filter(node__path__startswith=root.path, ended_on__isnull=True)
    targets = orgs.staff_targets(root, today.year)
    rollup = orgs.node_rollup(root)
    return {
        "orgs.unions": nodes.count(),
        "orgs.grassroots": nodes.filter(kind__in=GRASSROOTS_KINDS).count(),
        "orgs.new_unions": Node.objects.filter(path__startswith=root.path, established_on__gte=start).count(),
        "orgs.new_employment_unions": nodes.filter(kind=NodeKind.NEW_EMPLOYMENT).count(),
        "orgs.legal_persons": nodes.filter(is_legal_person=True).count(),
        "orgs.employers": employers.count(),
        "orgs.unionized_employers": employers.exclude(union=None).count(),
        "orgs.employers_to_organize": employers.filter(union=None).count(),
        "orgs.unionization_rate": rollup.unionization_rate,
        "orgs.workers": nodes.aggregate(n=Sum("worker_count"))["n"],
        "orgs.socialized_staff": staff.filter(kind=StaffKind.SOCIALIZED).count(),
        "orgs.vice_chairs": staff.filter(kind=StaffKind.VICE_CHAIR).count(),
        "orgs.staff_targets": len(targets),
        "orgs.staff_targets_met": sum(1 for t in targets if t.met),
        "orgs.staff_target_rate": percent(sum(1 for t in targets if t.met), len(targets)),
        "members.total": members.count(),
        "members.joined": Member.objects.filter(node__path__startswith=root.path, joined_on__gte=start).count(),
        "members.women": members.filter(gender="F").count(),
        "members.migrant": members.filter(is_migrant=True).count(),
        "members.new_form": members.filter(employment_form="new_form").count(),
        "members.membership_rate": rollup.membership_rate,
    }


def test_every_dashboard_figure_equals_a_direct_count(demo, db):
    with scopes_disabled():
        root = find_demo_root()
        township = Node.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path").first()
        for node in (root, township):
            board = dash.build(None, node, dash.resolve_period(""))
            expected = direct(node)
            ours = {k: v for k, v in board.values.items() if k.split(".")[0] in ("orgs", "members")}
            assert set(ours) == set(expected), "a new orgs/members indicator needs its direct count here"
            assert ours == expected, node.name
            assert expected["members.total"] > 1000 and expected["orgs.grassroots"] > 10
            children = sum(values["members.total"] for _child, _cells, values in board.children)
            assert children == expected["members.total"]


def test_every_figure_of_the_demo_report_is_traceable(demo, db):
    with scopes_disabled():
        root = find_demo_root()
        board = dash.build(None, root, dash.resolve_period(str(datetime.date.today().year - 1)))
        blocks = dash.report_blocks(None, board)
    text = "".join(b.text for b in blocks)
    assert text.startswith(f"{root.name}{board.cut.label}工会工作情况报告")
    assert "余人" in text and "建会率" in text and "入会率" in text
    keys = {p.key for b in blocks for p in b.parts if not isinstance(p, str)}
    assert keys <= {i.key for i in registry.all_indicators()} and len(keys) >= 15
