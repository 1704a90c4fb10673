"""For the demo county, every figure of the dashboard equals a direct count of the records behind it.

Each registered indicator (and breakdown) of every module is compared, for the county and one
township, for the current year, the same days a year earlier and all time, with a query written
here from the records' own fields — not from the indicator declarations — so a wrong filter in a
declaration shows up as a difference. A new indicator without a direct check here fails the test
that walks the registry.

The demo loads once for the module (it is slow); the work report converted to PDF by LibreOffice is
checked here too, on the same data.
"""

import datetime
import os
import shutil
import subprocess
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from gonghui.activities.models import (
    Activity,
    Attendance,
    Booking,
    ServiceHours,
    Session,
    TeamService,
    Volunteer,
    VolunteerTeam,
)
from gonghui.aid.models import Disbursement
from gonghui.console.demo import find_demo_root, load_demo
from gonghui.core import indicators as registry
from gonghui.funds.models import Allocation, LedgerEntry, Nomination, Project
from gonghui.members.models import Member
from gonghui.orgs.models import Employer, Node, StaffTarget, UnionStaff
from gonghui.positions.models import Position, Visit
from gonghui.registration.models import Registration
from gonghui.rights.models import Case, Checkup, CollectiveAgreement, Finding
from gonghui.stats import dashboard as dash
from gonghui.stats import report

# Written out here on purpose (not imported from the declarations).
GRASSROOTS = {"enterprise", "district_joint", "building_joint", "park_joint", "new_employment", "social_org",
              "joint_grassroots", "village_federation"}
HOMES = {"workers_home", "small_workers_home"}
STATIONS = {"rest_station", "love_station", "drivers_home"}
HELD = {"published", "closed"}
CLOSED_CASE = {"closed", "visited"}
# A case is due while open, and a closed one is due its follow-up visit.
DUE_CASE = {"submitted", "accepted", "assigned", "investigating", "mediating", "legal_aid", "arbitration",
            "litigation", "closed"}
CENT = Decimal("0.01")

# Indicators the demo county does not exercise (every check of them compares zero with zero):
# none may be added here without a reason.
ALLOWED_ZERO: dict[str, str] = {
    "contests.enterprises_small": "the demo's contest entrants are all above-scale enterprises (300+ employees)",
    "contests.participation_small": "follows contests.enterprises_small",
    "modelworkers.recuperated": "the demo's recuperation trip lies ahead; no place taken yet",
    "modelworkers.helped": "no model worker of the demo is in hardship",
    # The demo's counselling has hotline calls taken and two sessions booked ahead; none held yet, and no
    # lecture given (the counselling tests hold sessions and check these figures against the page).
    "counselling.sessions": "the demo's two counselling sessions are booked ahead, none held yet",
    "counselling.people": "follows counselling.sessions",
    "counselling.hours": "follows counselling.sessions",
    "counselling.lectures": "the demo gives no mental-health lecture",
    "counselling.lecture_people": "follows counselling.lectures",
    # tests/modelworkers/test_allowances.py pays allowances and checks both figures.
    "modelworkers.allowance_people": "the demo pays no model-worker allowance",
    "modelworkers.allowance_paid": "follows modelworkers.allowance_people",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            load_demo(stdout=StringIO())
            with scopes_disabled():
                _hold_some_activities_in_the_past()
                _volunteer_services()
            yield
            transaction.set_rollback(True)


def _hold_some_activities_in_the_past() -> None:
    """The demo's activities all lie ahead (its term starts in two weeks), so nothing is "held" yet:
    move a few of the county's (with their bookings) and of a township's into the past — this year
    and last year — closed, every booked seat checked in at every session, so the activity figures
    compare more than zeros."""
    today = timezone.localdate()
    root = find_demo_root()
    county = list(Activity.objects.filter(node=root, taken__gt=0).order_by("id")[:4])
    town = list(Activity.objects.filter(node__depth=root.depth + 1).order_by("node__path", "id")[:2])
    targets = [today - datetime.timedelta(days=d) for d in (3, 40, 380, 400, 5, 370)]
    for activity, day in zip([*county, *town], targets, strict=True):
        shift = datetime.timedelta(days=(timezone.localdate(activity.starts_at) - day).days)
        Activity.objects.filter(pk=activity.pk).update(
            starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift, signup_opens_at=F("signup_opens_at") - shift,
            signup_closes_at=F("signup_closes_at") - shift, state="closed", closed_at=F("ends_at") - shift)
        Session.objects.filter(activity=activity).update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
        booked = list(Booking.objects.filter(activity=activity, state="booked"))
        for session in Session.objects.filter(activity=activity):
            Attendance.objects.bulk_create([Attendance(booking=b, session=session) for b in booked])
            Attendance.objects.filter(session=session).update(at=session.starts_at + datetime.timedelta(minutes=5))


def _volunteer_services() -> None:
    """The demo has no volunteer teams: give the county and 城关街道 one each, with services this year
    and last year, so the volunteer figures compare more than zeros."""
    root = find_demo_root()
    today = timezone.localdate()
    town = Node.objects.get(path__startswith=root.path, depth=root.depth + 1, name="城关街道总工会")
    for node, name, days in ((root, "县劳模工匠志愿者服务队", (2, 30, 375)), (town, "城关街道职工志愿者服务队", (4, 390))):
        team = VolunteerTeam.objects.create(node=node, name=name)
        members = Member.objects.filter(node__path__startswith=node.path, status="active").order_by("id")[:4]
        volunteers = [Volunteer.objects.create(team=team, member=m, joined_on=today - datetime.timedelta(days=800))
                      for m in members]
        for n, ago in enumerate(days):
            service = TeamService.objects.create(team=team, title=f"志愿服务{n + 1}",
                                                 on=today - datetime.timedelta(days=ago))
            ServiceHours.objects.bulk_create([ServiceHours(service=service, volunteer=v, hours=Decimal("1.5") + k)
                                              for k, v in enumerate(volunteers[: n + 2])])


def _net_by_person(lines) -> dict:
    net: dict = {}
    for _kind, amount, _programme, person in lines:
        net[person] = net.get(person, Decimal("0")) + amount
    return net


def _rate(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _in_days(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) in the site's time zone: datetimes dated in the period."""
    tz = timezone.get_current_timezone()
    return (datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz))


class Direct:
    """The figures of a subtree and a period, counted from the records by plain queries."""

    def __init__(self, root: Node, period: registry.Period, today: datetime.date):
        self.ids = list(Node.objects.get_tree(root).values_list("id", flat=True))
        self.start, self.end, self.today = period.start, period.end, today
        self.lo, self.hi = _in_days(period.start, period.end)
        self.nodes = list(Node.objects.filter(id__in=self.ids))

    # --- orgs -------------------------------------------------------------------------------------
    def _existing(self):
        """Unions established by the period's end (creation day when unknown) and not yet ended."""
        out = []
        for n in self.nodes:
            born = n.established_on or timezone.localtime(n.created_at).date()
            if born <= self.end and (n.ended_on is None or n.ended_on > self.end):
                out.append(n)
        return out

    def _staff(self, kind):
        return UnionStaff.objects.filter(node_id__in=self.ids, kind=kind, started_on__lte=self.end).filter(
            Q(ended_on=None) | Q(ended_on__gt=self.end))

    def _targets(self):
        """(target, staff of its kind in post at the end under the target's node) per target."""
        staff = list(UnionStaff.objects.filter(node_id__in=self.ids, started_on__lte=self.end)
                     .filter(Q(ended_on=None) | Q(ended_on__gt=self.end)).values_list("node__path", "kind"))
        out = []
        for t in StaffTarget.objects.filter(node_id__in=self.ids, year=self.end.year).select_related("node"):
            out.append((t.target, sum(1 for path, kind in staff if kind == t.kind and path.startswith(t.node.path))))
        return out

    def orgs(self):
        existing = self._existing()
        employers = Employer.objects.filter(node_id__in=self.ids)
        targets = self._targets()
        met = sum(1 for target, actual in targets if actual >= target)
        workers = sum(n.worker_count or 0 for n in self.nodes if n.status == "active")
        unionized = employers.filter(union__isnull=False).count()
        return {
            "orgs.unions": len(existing),
            "orgs.grassroots": sum(1 for n in existing if n.kind in GRASSROOTS),
            "orgs.new_unions": sum(1 for n in self.nodes
                                   if n.established_on and self.start <= n.established_on <= self.end),
            "orgs.new_employment_unions": sum(1 for n in existing if n.kind == "new_employment"),
            "orgs.employers": employers.count(),
            "orgs.unionized_employers": unionized,
            "orgs.employers_to_organize": employers.filter(union=None).count(),
            "orgs.unionization_rate": _rate(unionized, employers.count()),
            "orgs.workers": workers,
            "orgs.socialized_staff": self._staff("socialized").count(),
            "orgs.vice_chairs": self._staff("vice_chair").count(),
            "orgs.staff_targets": len(targets),
            "orgs.staff_targets_met": met,
            "orgs.staff_target_rate": _rate(met, len(targets)),
        }

    # --- members ----------------------------------------------------------------------------------
    def members_at_end(self):
        return Member.objects.filter(node_id__in=self.ids, joined_on__lte=self.end).filter(
            Q(status="active") | Q(status_changed_on__gt=self.end))

    def members(self):
        members = self.members_at_end()
        total = members.count()
        workers = sum(n.worker_count or 0 for n in self.nodes if n.status == "active")
        return {
            "members.total": total,
            "members.joined": Member.objects.filter(node_id__in=self.ids, joined_on__gte=self.start,
                                                    joined_on__lte=self.end).count(),
            "members.women": members.filter(gender="F").count(),
            "members.migrant": members.filter(is_migrant=True).count(),
            "members.new_form": members.filter(employment_form="new_form").count(),
            "members.membership_rate": _rate(total, workers),
        }

    # --- positions --------------------------------------------------------------------------------
    def positions(self):
        open_ = Position.objects.filter(node_id__in=self.ids, status="open")
        visits = Visit.objects.filter(position__node_id__in=self.ids, at__gte=self.lo, at__lt=self.hi)
        return {
            "positions.open": open_.count(),
            "positions.homes": open_.filter(kind__in=HOMES).count(),
            "positions.homes_demonstration": open_.filter(kind__in=HOMES).exclude(level="").count(),
            "positions.stations": open_.filter(kind__in=STATIONS).count(),
            "positions.visits": visits.count(),
            "positions.visits_members": visits.filter(kind="member").count(),
            "positions.visits_prospects": visits.filter(kind="prospect").count(),
        }

    # --- activities -------------------------------------------------------------------------------
    def held(self):
        return Activity.objects.filter(node_id__in=self.ids, state__in=HELD, starts_at__gte=self.lo,
                                       starts_at__lt=self.hi)

    def activities(self):
        held = self.held()
        out = {
            "activities.held": held.count(),
            "activities.seats": sum(a.taken for a in held),
            "activities.participant_times": Attendance.objects.filter(
                session__activity__node_id__in=self.ids, at__gte=self.lo, at__lt=self.hi).count(),
        }
        hours = list(ServiceHours.objects.filter(service__team__node_id__in=self.ids, service__on__gte=self.start,
                                                  service__on__lte=self.end).values_list("hours", flat=True))
        out["activities.volunteer_teams"] = VolunteerTeam.objects.filter(node_id__in=self.ids).count()
        out["activities.volunteer_times"] = len(hours)
        out["activities.volunteer_hours"] = float(sum(hours, Decimal(0)).quantize(Decimal("0.1"))) if hours else 0
        return out

    # --- rights -----------------------------------------------------------------------------------
    def claims(self):
        return Case.objects.filter(node_id__in=self.ids, submitted_at__gte=self.lo, submitted_at__lt=self.hi)

    def rights(self):
        closed = Case.objects.filter(node_id__in=self.ids, stage__in=CLOSED_CASE, closed_on__gte=self.start,
                                     closed_on__lte=self.end)
        mediated = closed.filter(mediated=True).count()
        in_force = CollectiveAgreement.objects.filter(node_id__in=self.ids, signed_on__lte=self.end,
                                                      expires_on__gte=self.end)
        return {
            "rights.claims": self.claims().count(),
            "rights.closed": closed.count(),
            "rights.mediated": mediated,
            "rights.mediation_rate": _rate(mediated, closed.count()),
            "rights.recovered": _money(sum(c.amount_recovered or 0 for c in closed)),
            "rights.overdue": Case.objects.filter(node_id__in=self.ids, stage__in=DUE_CASE,
                                                  due_on__lt=self.today).count(),
            "rights.checkups": Checkup.objects.filter(node_id__in=self.ids, visited_on__gte=self.start,
                                                      visited_on__lte=self.end).count(),
            "rights.risks_open": Finding.objects.filter(checkup__node_id__in=self.ids, result="risk",
                                                        rectified_on=None).count(),
            "rights.agreements": in_force.count(),
            "rights.agreement_workers": sum(a.workers_covered for a in in_force),
        }

    # --- aid --------------------------------------------------------------------------------------
    def aid(self):
        lines = list(Disbursement.objects.filter(node_id__in=self.ids, paid_on__gte=self.start,
                                                 paid_on__lte=self.end)
                     .values_list("kind", "amount", "programme__kind", "application__person_hash"))
        return {
            "aid.paid": _money(sum(amount for _k, amount, _p, _h in lines)),
            "aid.payments": sum(1 for kind, *_rest in lines if kind == "payment"),
            # People helped: distinct people whose payments net of reversals are above zero.
            "aid.people": sum(1 for net in _net_by_person(lines).values() if net > 0),
            "aid.medical": _money(sum(a for _k, a, programme, _h in lines if programme == "medical_mutual_aid")),
            "aid.scholarships": _money(sum(a for _k, a, programme, _h in lines
                                           if programme == "autumn_scholarship")),
        }

    # --- registration -----------------------------------------------------------------------------
    def registration(self, grassroots: int):
        regs = list(Registration.objects.filter(node_id__in=self.ids))
        registered = sum(1 for r in regs if r.registered_on <= self.end
                         and (r.cancelled_on is None or r.cancelled_on > self.end))
        due_by = self.today + datetime.timedelta(days=30)
        return {
            "registration.registered": registered,
            "registration.new": sum(1 for r in regs if self.start <= r.registered_on <= self.end),
            "registration.cancelled": sum(1 for r in regs if r.cancelled_on and self.start <= r.cancelled_on <= self.end),
            "registration.due": sum(1 for r in regs if r.status == "registered" and r.valid_until <= due_by),
            "registration.rate": _rate(registered, grassroots),
        }

    # --- funds ------------------------------------------------------------------------------------
    def funds(self):
        projects = Project.objects.filter(node_id__in=self.ids)
        return {
            "funds.spent": _money(LedgerEntry.objects.filter(node_id__in=self.ids, at__gte=self.lo, at__lt=self.hi)
                                  .aggregate(s=Sum("amount"))["s"]),
            "funds.allocated": _money(Allocation.objects.filter(from_node_id__in=self.ids, created_at__gte=self.lo,
                                                                created_at__lt=self.hi).aggregate(s=Sum("amount"))["s"]),
            "funds.projects_open": projects.exclude(state__in=["paid", "rejected"]).count(),
            "funds.projects_done": projects.filter(state="paid").count(),
            "funds.awarded": Nomination.objects.filter(node_id__in=self.ids, status="awarded").count(),
        }

    # --- contests and model workers -----------------------------------------------------------------
    def contests(self):
        from gonghui.contests.models import Award, Entry, Participation, Round

        rounds = Round.objects.filter(contest__node_id__in=self.ids, held_on__gte=self.start, held_on__lte=self.end)
        taking_part = list(Participation.objects.filter(employer__node_id__in=self.ids, round__held_on__gte=self.start,
                                                        round__held_on__lte=self.end)
                           .values_list("employer_id", "employer__employee_count"))
        above = {e for e, n in taking_part if n >= 300}
        small = {e for e, n in taking_part if n < 300}
        ledger = list(Employer.objects.filter(node_id__in=self.ids).values_list("employee_count", flat=True))
        ledger_above, ledger_small = sum(1 for n in ledger if n >= 300), sum(1 for n in ledger if n < 300)
        awarded = [timezone.localtime(at).date() for at in Award.objects.filter(
            entry__round__contest__node_id__in=self.ids).values_list("awarded_at", flat=True)]
        return {
            "contests.held": len(set(rounds.values_list("contest_id", flat=True))),
            "contests.entries": Entry.objects.filter(round__in=rounds).count(),
            "contests.winners": sum(1 for day in awarded if self.start <= day <= self.end),
            "contests.enterprises_above": len(above), "contests.enterprises_small": len(small),
            "contests.ledger_above": ledger_above, "contests.ledger_small": ledger_small,
            "contests.participation_above": _rate(len(above), ledger_above),
            "contests.participation_small": _rate(len(small), ledger_small),
        }

    def modelworkers(self):
        from gonghui.modelworkers.models import Care, ModelWorker

        care = list(Care.objects.filter(person__node_id__in=self.ids, on__gte=self.start, on__lte=self.end)
                    .values_list("kind", "person_id"))
        return {
            "modelworkers.people": ModelWorker.objects.filter(node_id__in=self.ids).exclude(status="deceased").count(),
            **{f"modelworkers.{key}": len({p for k, p in care if k == kind})
               for key, kind in (("visited", "visit"), ("checked", "checkup"), ("recuperated", "recuperation"),
                                 ("helped", "hardship"))},
        }

    def counselling(self):
        from gonghui.counselling.models import HotlineCall, Session

        def within(moment) -> bool:
            return self.start <= timezone.localtime(moment).date() <= self.end

        held = [s for s in Session.objects.filter(counsellor__position__node_id__in=self.ids, status="done")
                if within(s.starts_at)]
        seconds = sum((s.ends_at - s.starts_at).total_seconds() for s in held)
        calls = [c for c in HotlineCall.objects.filter(counsellor__position__node_id__in=self.ids) if within(c.called_at)]
        now = timezone.now()
        lectures = [a for a in Activity.objects.filter(node_id__in=self.ids, kind="counselling",
                                                       state__in=("published", "closed"))
                    if within(a.starts_at) and a.starts_at <= now]
        return {
            "counselling.sessions": len(held),
            "counselling.people": len({s.worker_id for s in held}),
            "counselling.hours": (Decimal(seconds) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP),
            "counselling.calls": len(calls),
            "counselling.lectures": len(lectures),
            "counselling.lecture_people": Booking.objects.filter(activity__in=lectures, state="booked").count(),
        }

    def allowances(self):
        from gonghui.modelworkers.models import Allowance

        mine = {a.application_id: a.person_id for a in Allowance.objects.filter(person__node_id__in=self.ids)
                .select_related("application") if a.application.status == "paid"}
        lines = list(Disbursement.objects.filter(application_id__in=list(mine), paid_on__gte=self.start,
                                                 paid_on__lte=self.end).values_list("application_id", "amount"))
        return {
            "modelworkers.allowance_people": len({mine[a] for a, _amount in lines}),
            "modelworkers.allowance_paid": _money(sum(amount for _a, amount in lines)),
        }

    def figures(self) -> dict:
        out = {**self.orgs(), **self.members(), **self.positions(), **self.activities(), **self.rights(),
               **self.aid(), **self.funds(), **self.contests(), **self.modelworkers(), **self.counselling(),
               **self.allowances()}
        out.update(self.registration(out["orgs.grassroots"]))
        return out

    # --- breakdowns -------------------------------------------------------------------------------
    def breakdowns(self) -> dict:
        members = self.members_at_end()
        return {
            "orgs.by_kind": Counter(n.kind for n in self._existing()),
            "members.by_form": Counter(members.values_list("employment_form", flat=True)),
            "members.by_new_form_type": Counter(members.filter(employment_form="new_form")
                                                .values_list("new_form_type", flat=True)),
            "positions.by_kind": Counter(Position.objects.filter(node_id__in=self.ids, status="open")
                                         .values_list("kind", flat=True)),
            "positions.homes_by_level": Counter(Position.objects.filter(node_id__in=self.ids, status="open",
                                                                        kind__in=HOMES).values_list("level", flat=True)),
            "activities.by_kind": Counter(self.held().values_list("kind", flat=True)),
            "rights.by_category": Counter(self.claims().values_list("category", flat=True)),
            "funds.projects_by_step": Counter(Project.objects.filter(node_id__in=self.ids)
                                              .values_list("state", flat=True)),
            "modelworkers.by_level": Counter(self._living_model_workers().values_list("level", flat=True)),
        }

    def _living_model_workers(self):
        from gonghui.modelworkers.models import ModelWorker

        return ModelWorker.objects.filter(node_id__in=self.ids).exclude(status="deceased")


def _checks():
    """(node, label, period spec) of the comparisons: the county and a township, this year and all time."""
    root = find_demo_root()
    township = Node.objects.get(path__startswith=root.path, depth=root.depth + 1, name="城关街道总工会")
    today = timezone.localdate()
    all_time = f"1949-01-01~{today.isoformat()}"
    return today, [(node, label, spec) for node in (root, township)
                   for label, spec in (("this year", ""), ("all time", all_time))]


@pytest.fixture(scope="module")
def boards(demo, django_db_blocker):
    """Every dashboard compared below, built once: (node, label, board)."""
    with django_db_blocker.unblock(), scopes_disabled():
        today, checks = _checks()
        return today, [(node, label, dash.build(None, node, dash.resolve_period(spec)))
                       for node, label, spec in checks]


def test_every_registered_indicator_has_a_direct_check(boards, db):
    today, built = boards
    with scopes_disabled():
        node, _label, board = built[0]
        direct = Direct(node, board.cut, today)
        missing = sorted({i.key for i in registry.all_indicators()} - set(direct.figures()))
        missing_bd = sorted({b.key for b in registry.all_breakdowns()} - set(direct.breakdowns()))
    assert not missing, f"indicators without a direct query in tests/stats/test_demo_figures.py: {missing}"
    assert not missing_bd, f"breakdowns without a direct query in tests/stats/test_demo_figures.py: {missing_bd}"


def test_every_dashboard_figure_equals_a_direct_count(boards, db):
    today, built = boards
    nonzero: set[str] = set()
    with scopes_disabled():
        for node, label, board in built:
            keys = [i.key for i in registry.all_indicators()]
            for period, values in ((board.cut, board.values), (board.previous, board.previous_values)):
                expected = Direct(node, period, today).figures()
                ours = {k: values[k] for k in keys}
                wrong = {k: (ours[k], expected.get(k)) for k in keys if ours[k] != expected.get(k)}
                assert not wrong, f"{node.name} {label} {period.spec}: dashboard vs direct {wrong}"
                nonzero |= {k for k, v in expected.items() if v}
            # The ranking table: the children (and the node's own row) add up to the node.
            for ind in board.columns:
                if ind.kind == registry.RATE:
                    continue
                rows = sum(values_[ind.key] for _child, _cells, values_ in board.children)
                assert rows == board.values[ind.key], f"{node.name} {label}: children of {ind.key}"
        county = built[0][2]
        assert county.values["members.total"] > 1000 and county.values["orgs.grassroots"] > 10
    idle = sorted({i.key for i in registry.all_indicators()} - nonzero - set(ALLOWED_ZERO))
    assert not idle, f"the demo county never exercises {idle}: a 0 = 0 comparison proves nothing"


def test_every_breakdown_equals_a_direct_count(boards, db):
    today, built = boards
    with scopes_disabled():
        for node, label, board in built:
            expected = Direct(node, board.cut, today).breakdowns()
            for bd, rows in board.breakdowns:
                ours = {value: n for value, _label, n, _url in rows}
                theirs = {value: n for value, n in expected[bd.key].items() if n}
                assert ours == theirs, f"{node.name} {label}: breakdown {bd.key}"


def test_every_figure_of_the_demo_report_is_traceable(boards, db):
    with scopes_disabled():
        root = find_demo_root()
        board = dash.build(None, root, dash.resolve_period(str(timezone.localdate().year - 1)))
        blocks = dash.report_blocks(None, board)
    text = "".join(b.text for b in blocks)
    assert text.startswith(f"{root.name}{board.cut.label}工会工作情况报告")
    assert "余人" in text and "建会率" in text and "入会率" in text
    keys = {p.key for b in blocks for p in b.parts if not isinstance(p, str)}
    assert keys <= {i.key for i in registry.all_indicators()} and len(keys) >= 15


# --- the docx report opens in LibreOffice -------------------------------------------------------

def _tools() -> tuple[str, str]:
    """Absolute paths of soffice and pdftotext; fails (or skips, when asked to) without them."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if soffice and pdftotext:
        return soffice, pdftotext
    if os.environ.get("GONGHUI_SKIP_LIBREOFFICE") == "1":
        pytest.skip("GONGHUI_SKIP_LIBREOFFICE=1: LibreOffice or pdftotext is not installed on this machine "
                    "(apt-get install libreoffice-writer-nogui poppler-utils)")
    pytest.fail("LibreOffice (soffice) and pdftotext are needed to check that the work report opens: "
                "apt-get install --no-install-recommends libreoffice-writer-nogui poppler-utils "
                "(.ci/run does), or set GONGHUI_SKIP_LIBREOFFICE=1 to skip this check knowingly")


def test_the_demo_work_report_opens_in_libreoffice(boards, db, tmp_path):
    soffice, pdftotext = _tools()
    year = timezone.localdate().year - 1
    docx = tmp_path / "report.docx"
    with scopes_disabled():
        root = find_demo_root()
        call_command("report", "--node", root.code, "--period", str(year), "--format", "docx",
                     "--output", str(docx), "--no-progress", stdout=StringIO())
        board = dash.build(None, root, dash.resolve_period(str(year)))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(  # noqa: S603 - our own paths and arguments
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert done.returncode == 0 and pdf.exists(), f"LibreOffice did not convert the report: {done.stdout}{done.stderr}"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(  # noqa: S603 - our own paths and arguments
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60).stdout
    flat = "".join(text.split())  # pdftotext breaks lines where the page does
    values = board.values
    assert f"{root.name}{year}年工会工作情况报告" in flat
    assert f"截至{year}年12月31日，{root.name}所辖共有各级工会组织{report.round_count(values['orgs.unions'])}个" in flat
    assert f"其中基层工会{report.round_count(values['orgs.grassroots'])}个" in flat
    assert f"会员{report.round_count(values['members.total'])}人" in flat
    assert f"建会率{values['orgs.unionization_rate']}%" in flat
    for heading in ("一、组织建设", "二、会员发展", "三、工会干部队伍"):
        assert heading in flat
    assert report.round_money(values["rights.recovered"]) in flat or not values["rights.recovered"]
    assert "比上年" in flat


# --- one figure, one value wherever it is shown ---------------------------------------------------

def test_a_figure_shown_in_several_places_agrees_everywhere(boards, db):
    """For the demo county this year, every figure that two pages show is the same on both: people
    helped and the amount paid on /aid/ and on /stats/ (and in the work report); unions with legal-
    person status, cancellations, renewals due and the registration rate on /registration/ and on
    /stats/; the dashboard's headline, its area tables and the report quote the same values."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    root = find_demo_root()
    year = timezone.localdate().year
    user = get_user_model().objects.get(username="county_viewer")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    stats = client.get(f"{reverse('stats:dashboard')}?node={root.pk}&period={year}").context["board"]
    aid = client.get(f"{reverse('aid:programmes')}?year={year}").context
    registration = client.get(reverse("registration:register")).context["figures"]
    shown = {
        "aid.people": [("/aid/", aid["total_people"])],
        "aid.paid": [("/aid/", aid["total_paid"])],
        "registration.registered": [("/registration/", registration.registered)],
        "registration.due": [("/registration/", registration.due)],
        "registration.rate": [("/registration/", registration.rate)],
        "orgs.grassroots": [("/registration/ (base of the rate)", registration.unions)],
    }
    # The dashboard shows a figure in its headline and in its area's table: one value.
    for f in stats.headline:
        shown.setdefault(f.indicator.key, []).append(("/stats/ headline", f.value))
    for area in stats.areas:
        for f in area.figures:
            shown.setdefault(f.indicator.key, []).append((f"/stats/ {area.name}", f.value))
    # The work report of the same period quotes them too.
    with scopes_disabled():
        blocks = dash.report_blocks(user, stats)
    for block in blocks:
        for part in block.parts:
            if not isinstance(part, str):
                ind = registry.get(part.key)
                if ind.kind == registry.RATE:
                    shown.setdefault(part.key, []).append(("report", Decimal(part.text.rstrip("%"))))
    disagreeing = {key: places for key, places in shown.items()
                   if len({value for _place, value in places} | {stats.values[key]}) > 1}
    assert not disagreeing, f"figures that differ between pages: {disagreeing}"
    assert stats.values["aid.people"] > 0 and stats.values["registration.registered"] > 0
    assert not any(i.key == "orgs.legal_persons" for i in registry.all_indicators()), \
        "法人资格 has one definition: the register"
