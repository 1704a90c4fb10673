"""The console's member page at province scale: a PostgreSQL database of a few hundred thousand
members made quickly, then the page measured beside its baseline in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gh_bench_member \\
        python3 bench/member_page.py [--scale 0.03] [--runs 40] [--reuse] [--template <empty migrated db>]

The data is ``bench/province.py``'s at ``--scale`` (0.03: 3,000 union nodes, 300,000 members with
sealed ID numbers and phones, 30,000 employers, positions, activities with 100,000+ bookings,
rights cases, hardship files and a 150,000-row audit log). Then ``--rich`` members of one county
(30 by default) are given a realistic life: 30 history entries, a transfer, 12 bookings (6 by the
membership, 6 from the phone before the membership was matched), 6 claims made from the phone,
3 aid applications, 3 micro-wishes, 4 book loans, 2 volunteer teams with hours, and 40 entries of
their own in the audit log.

Measured, ``--runs`` requests each through Django's test client as a province administrator
(a random rich member each time), p50 / p95 and the ratio to the baseline:

- baseline: the member's row read and decrypted (``members.selectors.access_member``);
- the member page (``/members/<pk>/``), its first paint: what the browser receives first;
- the services panel's fragment (``/members/<pk>/services/``), fetched after the first paint;
- the page and the fragment together (what a cadre waits for until everything has shown).

Beside the wall-clock figures: the SQL statements of each (Django's ``CaptureQueriesContext``),
the CPU milliseconds of this process per request (the app server's share: the test client runs
the view in-process) and the load average, as the machine is shared.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dashboard, province  # noqa: E402


def enrich(n_rich: int, rng: random.Random) -> list[int]:
    """Give ``n_rich`` active members of one county history, cases, aid, bookings, loans, volunteering
    and audit entries (all or nothing); returns their pks."""
    from django.db import transaction

    with transaction.atomic():
        return _enrich(n_rich, rng)


def _enrich(n_rich: int, rng: random.Random) -> list[int]:
    from django.db import connection
    from django.utils import timezone

    from gonghui.accounts.models import Worker
    from gonghui.activities.models import Booking, ServiceHours, TeamService, Volunteer, VolunteerTeam
    from gonghui.aid.models import Application, Programme, Wish
    from gonghui.core.audit import audit
    from gonghui.members.models import Member, MemberEvent, Transfer
    from gonghui.orgs.models import Node
    from gonghui.positions.models import Book, BookCopy, Loan, Position
    from gonghui.rights.models import Case

    county = Node.objects.filter(depth=3).order_by("path")[5]
    members = list(Member.objects.filter(node__path__startswith=county.path, status="active").order_by("pk")[:n_rich])
    other = Node.objects.filter(path__startswith=county.path, depth=4).exclude(pk=members[0].node_id).first()
    today = datetime.date(2026, 11, 23)
    programme = Programme.objects.create(node=county, kind="hardship", name="送温暖", year=2026, period="2026",
                                         starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    position = Position.objects.filter(node__path__startswith=county.path).first() or Position.objects.first()
    book = Book.objects.create(position=position, isbn="9787020002207", title="平凡的世界")
    teams = [VolunteerTeam.objects.create(node=county, name=f"志愿服务队{i}") for i in range(2)]
    services = [TeamService.objects.create(team=team, title="社区服务", on=today) for team in teams]
    activity_ids = list(Booking.objects.order_by("activity_id").values_list("activity_id", flat=True).distinct()[:200])
    cases = list(Case.objects.order_by("?").values_list("pk", flat=True)[:n_rich * 6])
    now = timezone.now()
    for k, member in enumerate(members):
        MemberEvent.objects.bulk_create([
            MemberEvent(member=member, action=rng.choice(["edited", "imported", "edited"]),
                        on=today - datetime.timedelta(days=30 * i), reason="年度核对") for i in range(30)])
        if other is not None:
            Transfer.objects.create(member=member, from_node=member.node, to_node=other, status="rejected",
                                    reason="工作调动")
        worker = Worker.objects.create(phone="bench", phone_hash=member.phone_hash)
        chosen = rng.sample(activity_ids, 12)
        with connection.cursor() as cur:
            for i, activity in enumerate(chosen):
                cur.execute("INSERT INTO activities_booking (activity_id, worker_id, member_id, name, state, created_at,"
                            " booked_at) VALUES (%s, %s, %s, %s, 'booked', %s, %s)",
                            [activity, worker.pk, member.pk if i < 6 else None, member.name, now, now])
            cur.execute("UPDATE rights_case SET claimant_phone_hash = %s WHERE id = ANY(%s)",
                        [member.phone_hash, cases[k * 6:(k + 1) * 6]])
        for i in range(3):
            Application.objects.create(programme=programme, node=member.node, member=member, name=member.name,
                                       person_hash=f"bench-{member.pk}-{i}", reason="家庭困难",
                                       amount_requested=Decimal("2000.00"), channel="counter",
                                       status="rejected" if i else "submitted")
            Wish.objects.create(node=member.node, worker=worker, name=member.name, title="孩子的书包", kind="item")
        for i in range(4):
            copy = BookCopy.objects.create(book=book, barcode=f"B{member.pk}-{i}")
            Loan.objects.create(copy=copy, member=member, lent_on=today - datetime.timedelta(days=40 * i),
                                due_on=today - datetime.timedelta(days=40 * i - 30),
                                returned_on=today - datetime.timedelta(days=40 * i - 20) if i else None)
        for team, service in zip(teams, services, strict=True):
            volunteer = Volunteer.objects.create(team=team, member=member, joined_on=today)
            ServiceHours.objects.create(service=service, volunteer=volunteer, hours=Decimal("3.5"))
        for i in range(40):
            audit("members.member.updated" if i % 4 else "members.member.revealed", obj=member, data={"i": i})
    return [m.pk for m in members]


def cpu_and_wall(fn, runs: int) -> tuple[list[float], list[float]]:
    fn()  # warm
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.03, help="share of bench/province.py's whole province")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rich", type=int, default=30, help="members given a realistic history")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="measure again on the data of an earlier run")
    parser.add_argument("--template", help="start from a copy of this empty, migrated database (e.g. a test one)")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/member_page.py runs on PostgreSQL: set DATABASE_URL (e.g. .../gh_bench_member)")
    os.environ["GONGHUI_DB_STATEMENT_TIMEOUT_MS"] = "0"
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    data_dir = os.environ.get("GONGHUI_DATA_DIR") or str(Path(tempfile.gettempdir()) / f"gh-bench-{name}")
    Path(data_dir).mkdir(exist_ok=True)
    n = province.counts(args.scale)
    reused = args.reuse and province._members_in_database() >= n["members"]
    if args.template and not reused:
        import psycopg

        base, target = os.environ["DATABASE_URL"].rsplit("/", 1)
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
            conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{args.template}"')
    dashboard.setup_django(data_dir, reuse=reused or bool(args.template))
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from gonghui.accounts.models import User
    from gonghui.core.scoping import Subtree, scopes_disabled, tree_scope
    from gonghui.members import selectors as members
    from gonghui.orgs.models import Node

    settings.ALLOWED_HOSTS = ["*"]
    print(f"member page bench at scale {args.scale}: " + ", ".join(f"{k} {v:,}" for k, v in n.items())
          + f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    with scopes_disabled():
        if not reused:
            t = time.perf_counter()
            timings = province.build(args, n)
            print("built in " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
                  + f" (total {time.perf_counter() - t:.0f} s)", flush=True)
        rich_file = Path(data_dir) / "rich-members.txt"
        if reused and rich_file.exists():
            pks = [int(x) for x in rich_file.read_text().split()]
        else:
            t = time.perf_counter()
            pks = enrich(args.rich, random.Random(7))
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
            rich_file.write_text(" ".join(map(str, pks)))
            print(f"{len(pks)} rich members in {time.perf_counter() - t:.0f} s", flush=True)
        user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
            "bench", password="Bench-2026-gonghui!")
        root = Node.objects.get(depth=1)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(user=user, name="bench",
                                                                                          confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    rng = random.Random(3)

    def page(suffix=""):
        def get():
            response = client.get(f"/members/{rng.choice(pks)}/{suffix}")
            assert response.status_code == 200, response.status_code
        return get

    def both():
        pk = rng.choice(pks)
        for url in (f"/members/{pk}/", f"/members/{pk}/services/"):
            assert client.get(url).status_code == 200

    has_fragment = client.get(f"/members/{pks[0]}/services/").status_code == 200
    for label, fn in (("page", page()), ("services fragment", page("services/"))):
        if label == "services fragment" and not has_fragment:
            continue
        with CaptureQueriesContext(connection) as queries:
            fn()
        print(f"  {label}: {len(queries)} SQL statements")

    def base():
        with tree_scope(Subtree([root.path])):
            str(members.access_member(rng.choice(pks)).id_number)

    rows = [("baseline: row read + decrypt", *cpu_and_wall(base, args.runs)),
            ("member page, first paint", *cpu_and_wall(page(), args.runs))]
    if has_fragment:
        rows.append(("services fragment", *cpu_and_wall(page("services/"), args.runs)))
        rows.append(("page + fragment", *cpu_and_wall(both, args.runs)))
    b50 = statistics.median(rows[0][1])
    print(f"\n{args.runs} runs each; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          f"{province.contention()}")
    print(f"{'':32} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms p50':>11} {'÷ baseline p50':>15}")
    for label, wall, cpu in rows:
        print(f"{label:32} {dashboard.p(wall, .5):8.1f} {dashboard.p(wall, .95):8.1f} "
              f"{statistics.median(cpu):11.1f} {dashboard.p(wall, .5) / b50:15.1f}")
    p95 = dashboard.p(rows[1][1], .95)
    print(f"target: member page p95 < 50 ms: {'met' if p95 < 50 else 'MISSED'} ({p95:.1f} ms)")


if __name__ == "__main__":
    main()
