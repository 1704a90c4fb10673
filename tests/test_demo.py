"""The demo county: a whole, valid union network, cadres holding every role, safe to load twice."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.accounts.models import Role, RoleAssignment, User
from gonghui.accounts.permissions import requires_totp, subtree_for
from gonghui.console.demo import DEMO_PASSWORD, ENT_ADMIN_NODE, TOWN_ADMIN_NODE, find_demo_root, load_demo
from gonghui.core.audit import verify_chain
from gonghui.core.ids import normalize_credit_code
from gonghui.core.scoping import tree_scope
from gonghui.orgs import selectors
from gonghui.orgs.models import Employer, Node, NodeEvent, NodeKind, StaffKind, StaffTarget, UnionStaff

USERNAMES = ["county_admin", "county_clerk", "county_reviewer", "county_viewer", "county_mediator",
             "county_finance", "town_admin", "ent_admin"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load once for the module, inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            logins = load_demo()
            yield logins
            transaction.set_rollback(True)


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {model.__name__: model.objects.count()
                for model in (Node, Employer, UnionStaff, StaffTarget, User, RoleAssignment, NodeEvent)}


def test_demo_county_has_the_whole_network(demo, db, unscoped):
    root = find_demo_root()
    nodes = Node.objects.filter(path__startswith=root.path)
    assert Node.objects.count() == nodes.count() >= 200
    kinds = set(nodes.values_list("kind", flat=True))
    assert {NodeKind.COUNTY, NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION, NodeKind.VILLAGE_FEDERATION,
            NodeKind.ENTERPRISE, NodeKind.INDUSTRY, NodeKind.DISTRICT_JOINT, NodeKind.BUILDING_JOINT,
            NodeKind.NEW_EMPLOYMENT, NodeKind.SOCIAL_ORG} <= kinds
    townships = nodes.filter(depth=root.depth + 1, kind__in=[NodeKind.TOWNSHIP_UNION, NodeKind.TOWNSHIP_FEDERATION])
    assert townships.count() >= 8
    industries = " ".join(nodes.filter(kind=NodeKind.INDUSTRY).values_list("name", flat=True))
    for trade in ("网约车", "快递", "物流", "物业"):
        assert trade in industries
    assert all(code.startswith("330524") for code in nodes.values_list("region_code", flat=True))


def test_registered_unions_carry_valid_trade_union_credit_codes(demo, db, unscoped):
    codes = [code for code in Node.objects.values_list("credit_code", flat=True) if code]
    assert len(codes) >= 50
    assert len(set(codes)) == len(codes)
    assert all(code.startswith("81") and normalize_credit_code(code) == code for code in codes)


def test_ledger_has_valid_unique_credit_codes_and_employers_still_to_organize(demo, db, unscoped):
    employers = Employer.objects.select_related("union")
    codes = [e.credit_code for e in employers]
    assert len(codes) >= 300
    assert len(set(codes)) == len(codes)
    assert all(normalize_credit_code(code) == code for code in codes)
    without_union = [e for e in employers if e.union is None]
    assert 60 <= len(without_union) <= 100
    linked = [e for e in employers if e.union is not None]
    assert sum(1 for e in linked if e.union.kind == NodeKind.ENTERPRISE and e.union.name == f"{e.name}工会") >= 100
    assert all(e.employee_count > 0 for e in employers)


def test_a_street_admin_sees_only_its_own_ledger(demo, db):
    town_admin = User.objects.get(username="town_admin")
    with scopes_disabled():
        town = Node.objects.get(name=TOWN_ADMIN_NODE)
        outside = Employer.objects.exclude(node__path__startswith=town.path).count()
    with tree_scope(subtree_for(town_admin)):
        visible = list(selectors.employer_list())
    assert visible and outside
    assert all(e.node.path.startswith(town.path) for e in visible)


def test_staff_targets_for_this_year_are_met_in_some_townships_only(demo, db, unscoped):
    root = find_demo_root()
    kinds = set(UnionStaff.objects.values_list("kind", flat=True))
    assert {StaffKind.VICE_CHAIR, StaffKind.SOCIALIZED} <= kinds
    targets = selectors.staff_targets(root, timezone.localdate().year)
    assert any(t.met for t in targets)
    assert any(not t.met for t in targets)


def test_every_role_is_held_by_a_demo_cadre(demo, db):
    held = set(RoleAssignment.objects.filter(user__username__in=USERNAMES).values_list("role", flat=True))
    assert held == set(Role.values)
    levels = {a.user.username: a.node.kind for a in RoleAssignment.objects.select_related("user", "node")}
    assert levels["county_admin"] == NodeKind.COUNTY
    assert levels["town_admin"] == NodeKind.TOWNSHIP_UNION
    assert levels["ent_admin"] == NodeKind.ENTERPRISE
    assert RoleAssignment.objects.get(user__username="ent_admin", role=Role.ADMIN).node.name == ENT_ADMIN_NODE


def test_every_printed_login_signs_in_with_the_demo_password(demo, db):
    assert [username for username, _description in demo] == USERNAMES
    for username, description in demo:
        assert description
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username


def test_accounts_that_see_unmasked_data_are_sent_to_set_up_an_authenticator(demo, db, client):
    """Admins and clerks (who may see and export unmasked personal data) use an authenticator app at
    every level; the demo prints each a single-use set-up link; the other logins need none."""
    from gonghui.console.management.commands.demo import enrolment_link

    needs = {name for name in USERNAMES if requires_totp(User.objects.get(username=name))}
    assert needs == {"county_admin", "county_clerk", "town_admin", "ent_admin"}
    response = client.post(reverse("accounts:login"), {"username": "town_admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("console:home")).url == reverse("accounts:otp")
    link = enrolment_link(User.objects.get(username="town_admin"), "http://127.0.0.1:8123")
    assert link.startswith("http://127.0.0.1:8123/accounts/")
    assert client.get(link.removeprefix("http://127.0.0.1:8123")).status_code == 200
    assert enrolment_link(User.objects.get(username="county_viewer"), "http://127.0.0.1:8123") == ""


def test_loading_twice_changes_nothing(demo, db):
    before = counts()
    out = StringIO()
    assert load_demo(stdout=out) == demo
    assert counts() == before
    assert "演示县数据已存在" in out.getvalue()  # the UI speaks Chinese by default


def test_loading_restores_missing_demo_logins(demo, db):
    User.objects.filter(username="county_viewer").delete()
    logins = load_demo()
    assert logins == demo
    assert RoleAssignment.objects.filter(user__username="county_viewer", role=Role.VIEWER).exists()


def test_the_load_is_recorded_in_an_intact_audit_log(demo, db):
    assert verify_chain().ok


def test_demo_command_prints_every_login(demo, db):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for username in USERNAMES:
        assert username in printed


def test_demo_county_has_a_realistic_roster(demo):
    from gonghui.members.models import JoinApplication, Member, Prospect
    from gonghui.orgs.selectors import node_rollup

    with scopes_disabled():
        members = Member.objects.filter(status="active")
        assert members.count() >= 10_000
        assert members.filter(is_migrant=True).count() > 2_000
        assert members.filter(gender="F").count() > 3_000
        assert members.filter(employment_form="new_form").values("new_form_type").distinct().count() >= 4
        assert JoinApplication.objects.filter(status="pending").count() >= 20
        assert Prospect.objects.exists()
        root = Member.objects.select_related("node").first().node.get_root()
        assert node_rollup(root).members == members.count()


def test_demo_refuses_production_settings(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    settings.GONGHUI_ALLOW_DEMO = False
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve")


def test_messages_of_the_demo_story_are_history_not_texts_to_send(demo, db, unscoped):
    """The approvals, offers and notices the demo county's story produced happened "before": they stay
    in the workers' inboxes as delivered, and the demo's worker does not text every one of them to
    the terminal when the server starts (it did: ~300 lines of phone numbers and messages)."""
    from gonghui.messaging.models import Message, State

    story = Message.objects.all()
    assert story.count() > 50  # aid approvals, course offers, notices …
    assert not story.filter(state=State.QUEUED).exists()
    assert not story.exclude(state=State.SENT).exists()
    assert story.filter(in_inbox=True, worker__isnull=False).exists()  # still readable in inboxes
    before = Message.objects.filter(state=State.SENT).count()
    load_demo()  # a second start sends nothing and marks nothing anew
    assert Message.objects.filter(state=State.SENT).count() == before


def test_a_message_queued_while_the_demo_serves_is_sent_by_its_worker(demo, db, unscoped):
    """Marking the story as delivered is for the load only: what happens afterwards (a message
    queued by a cadre's approval while the demo is served) waits for the worker as on any site."""
    from gonghui.core.notify import notify
    from gonghui.messaging.models import Message, State

    notify(phone="13900009999", text="测试", kind="general", dedupe_key="demo-test-after-load")
    load_demo()  # the demo started a second time before the worker ran
    assert Message.objects.get(dedupe_key="demo-test-after-load").state == State.QUEUED


def test_the_first_day_of_the_served_demo_texts_no_hardship_reminders(demo, db, unscoped):
    """The hardship registry is kept as a county keeps it: each file reviewed on its date, one review
    nine days overdue and one due in twelve days (with any others due this month), all already reminded by the story's own daily job.
    The served demo's first run of the reminders (at start) reminds nobody; before, it texted 35
    households about reviews up to two years overdue to the terminal where the sign-in codes appear."""
    import datetime

    from gonghui.aid.models import HardshipFile, HardshipStatus
    from gonghui.aid.services.hardship import send_review_reminders
    from gonghui.messaging.models import Message

    today = timezone.localdate()
    active = HardshipFile.objects.filter(status=HardshipStatus.ACTIVE)
    # (9 and 12 days, or one more where the day a year or two earlier would be 29 February)
    overdue = sorted((today - f.review_due_on).days for f in active.filter(review_due_on__lt=today))
    assert len(overdue) == 1 and 9 <= overdue[0] <= 10
    soon = [f for f in active.filter(review_due_on__gte=today) if f.review_due_on <= today + datetime.timedelta(days=30)]
    assert any(11 <= (f.review_due_on - today).days <= 12 for f in soon)  # and whichever others fall due this month
    assert Message.objects.filter(kind="hardship_review_overdue").count() == 1
    assert Message.objects.filter(kind="hardship_review_due").count() == len(soon)
    queued = Message.objects.count()
    assert send_review_reminders() == []  # what `gonghui demo` runs when its worker starts
    assert Message.objects.count() == queued
