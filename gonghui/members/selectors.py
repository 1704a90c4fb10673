"""Reads of the roster. Every query runs inside the caller's scope (django-scopes)."""

import datetime
import re
from typing import NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Substr
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.permissions import allowed, scope_for
from gonghui.core import editing, prepared
from gonghui.core.crypto import blind_index
from gonghui.core.ids import parse_resident_id
from gonghui.core.scoping import current_tree, scopes_disabled

from .models import ApplicationStatus, JoinApplication, Member, MemberEvent, MemberStatus, Prospect, Transfer

# The keyed hashes a person is found by (members, aid, the import); the services store them.
ID_PURPOSE = "resident-id"
PHONE_PURPOSE = "phone"


def id_hash(number: str) -> str:
    return blind_index(number, purpose=ID_PURPOSE)


def phone_hash(phone: str) -> str:
    return blind_index(phone, purpose=PHONE_PURPOSE)


def region_of(node) -> str:
    """The node's region code, or that of its nearest ancestor that has one (an enterprise union
    seldom records its own)."""
    if node.region_code:
        return node.region_code[:6]
    with scopes_disabled():
        codes = (type(node).scoped.filter(path__in=[node.path[:i] for i in range(node.steplen, len(node.path),
                                                                                   node.steplen)])
                 .exclude(region_code="").order_by("-depth").values_list("region_code", flat=True)[:1])
        code = next(iter(codes), "")
    return (code or "000000")[:6].ljust(6, "0")


def active_conflict(id_number_hash: str, *, exclude_pk=None) -> Member | None:
    """The active membership of this person, wherever it is (the caller shows only where and since when)."""
    with scopes_disabled():
        qs = Member.objects.filter(id_hash=id_number_hash, status=MemberStatus.ACTIVE).select_related("node")
        if exclude_pk:
            qs = qs.exclude(pk=exclude_pk)
        return qs.first()


def member_version(member: Member) -> str:
    """What an edit form carries to detect a change made after it was rendered: the keyed
    fingerprint of the row's values (``core.editing``), which every write of a member (edit, leave,
    transfer, import, merge) moves."""
    return editing.version_of(member)


def may_see_full(actor, member: Member) -> bool:
    return allowed(actor, "members.member.full_data", node=member.node)


def full_view_scope(actor):
    """Where ``actor`` may see members' personal data in full: a test on a node's tree path.

    Decided per row, from the roles that cover that row's union: a cadre who is a clerk at one
    township and only a reviewer at another sees the first in full and the second masked."""
    within = scope_for(actor, "members.member.full_data")
    if within is None:
        return lambda path: True
    return within.covers


def is_overdue(application: JoinApplication, today: datetime.date | None = None) -> bool:
    return application.status == ApplicationStatus.PENDING and (today or timezone.localdate()) > application.due_on


def active_member_by_card_number(number: str) -> Member | None:
    """The active member whose card carries this printed number, in any union (no scope)."""
    with scopes_disabled():
        return Member.objects.select_related("node").filter(card_number=number, status=MemberStatus.ACTIVE).first()


def member_by_pk(pk) -> Member:
    """A member named by a verified card, with their union (no scope)."""
    with scopes_disabled():
        return Member.objects.select_related("node").get(pk=pk)


_ID_LIKE = re.compile(r"^[0-9０-９]{17}[0-9０-９xX]$")


def member_list(*, node=None, query: str = "", status: str = MemberStatus.ACTIVE, employment_form: str = "",
                migrant: bool | None = None, joined_from: datetime.date | None = None,
                joined_to: datetime.date | None = None, member_type: str = "", gender: str = "",
                within=None) -> QuerySet[Member]:
    """Filters of the roster page. The search box takes a name, pinyin initials, the last four
    digits of a phone number, or a full ID number (matched exactly through its keyed hash)."""
    qs = Member.objects.select_related("node")
    if within is not None:  # a Subtree: the part of the scope where the user holds a reading role
        qs = qs.filter(node__path__within=within)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if status:
        qs = qs.filter(status=status)
    if employment_form:
        qs = qs.filter(employment_form=employment_form)
    if migrant is not None:
        qs = qs.filter(is_migrant=migrant)
    if member_type:
        qs = qs.filter(member_type=member_type)
    if gender:
        qs = qs.filter(gender=gender)
    if joined_from:
        qs = qs.filter(joined_on__gte=joined_from)
    if joined_to:
        qs = qs.filter(joined_on__lte=joined_to)
    query = (query or "").strip()
    if query:
        qs = qs.filter(_search_condition(query))
        if _is_initials(query):
            # Exact initials first ("zs": 张三 before 张三丰), then by name: the order of the initials
            # index (members migration 0008: the column in byte order on PostgreSQL, as SQLite compares),
            # so a province's 1 % of matches is not fetched and sorted whole for one page.
            return qs.order_by("name_initials", "name", "id")
    return qs.order_by("name", "id")


def _is_initials(query: str) -> bool:
    return query.isascii() and query.isalpha()


def _search_condition(query: str) -> Q:
    if _ID_LIKE.match(query):
        try:
            return Q(id_hash=id_hash(parse_resident_id(query).number))
        except ValidationError:  # an ID-shaped string that is no valid ID matches nothing
            return Q(pk__in=[])
    if query.isdigit() and len(query) == 4:
        return Q(phone_tail=query)
    if _is_initials(query):
        return Q(name_initials__startswith=query.lower())
    if len(query) == 2 and connection.vendor == "postgresql":
        # Two characters have no trigram: the two-character index (members migration 0007) answers
        # them; the LIKE beside it is what SQLite runs alone, the same rows.
        return Q(name__contains=query) & Q(DataContains(_BIGRAMS, Value([query], output_field=_TEXTS)))
    return Q(name__contains=query)


_TEXTS = ArrayField(TextField())
# The index's own expression (members migration 0007), so that the planner can match it.
_BIGRAMS = Func(Cast("name", TextField()), function="member_name_bigrams", output_field=_TEXTS)


def access_member(pk) -> Member:
    """The member if inside the scope; the same 404 for "missing" and "not yours"."""
    try:
        return Member.objects.select_related("node", "employer").get(pk=pk)
    except (Member.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def member_history(member: Member) -> QuerySet[MemberEvent]:
    return member.events.select_related("actor").order_by("-at", "-id")


def count_active_members(prefix: str, *, exclude_path: str | None = None, width: int | None = None):
    """Active members under a path prefix; grouped by the first ``width`` path characters when given.

    Registered with orgs as the member counter of its roll-ups (入会率 from real rows)."""
    qs = Member.objects.filter(status=MemberStatus.ACTIVE, node__path__startswith=prefix)
    if exclude_path:
        qs = qs.exclude(node__path=exclude_path)
    if width is None:
        return qs.count()
    rows = qs.annotate(bucket=Substr("node__path", 1, width)).values("bucket").annotate(n=Count("id"))
    return {row["bucket"]: row["n"] for row in rows}


def application_list(*, node=None, status: str = ApplicationStatus.PENDING) -> QuerySet[JoinApplication]:
    qs = JoinApplication.objects.select_related("node", "employer")
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def access_application(pk) -> JoinApplication:
    try:
        return JoinApplication.objects.select_related("node", "employer", "member").get(pk=pk)
    except (JoinApplication.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def prospect_list(*, node=None) -> QuerySet[Prospect]:
    qs = Prospect.objects.select_related("node").filter(joined=False)
    if node is not None:
        qs = qs.filter(node__path__startswith=node.path)
    return qs.order_by("-last_served_at", "id")


def _transfer_visibility() -> Q:
    tree = current_tree()
    if tree is None:
        return Q()
    condition = Q(pk__in=[])
    for path in tree.paths:
        condition |= Q(from_node__path__startswith=path) | Q(to_node__path__startswith=path)
    return condition


def transfer_list(*, status: str = "") -> QuerySet[Transfer]:
    """Transfers either end of which lies in the scope (both unions must see and approve them)."""
    condition = _transfer_visibility()
    with scopes_disabled():
        qs = Transfer.objects.filter(condition).select_related("member", "from_node", "to_node")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-requested_at", "-id")


def access_transfer(pk) -> Transfer:
    try:
        return transfer_list().get(pk=pk)
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def access_prospect(pk) -> Prospect:
    try:
        return Prospect.objects.select_related("node").get(pk=pk)
    except (Prospect.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def membership_of_worker(worker) -> Member | None:
    """The worker's own active membership, found through the verified phone's keyed hash."""
    with scopes_disabled():
        return (Member.objects.select_related("node")
                .filter(phone_hash=worker.phone_hash, status=MemberStatus.ACTIVE).first())


class MemberBrief(NamedTuple):
    """What a sign-up needs of a membership: no encrypted field is loaded."""

    pk: int
    name: str
    node_path: str


# Every winning sign-up asks this: plain SQL (the ORM compiled the query each time, more CPU than
# the query); the same row as Member.objects…first() in the model's order (node, name, id).
_BRIEF_SQL = (
    "SELECT m.id, m.name, n.path FROM members_member m JOIN orgs_node n ON n.id = m.node_id "
    "WHERE m.phone_hash = %s AND m.status = %s ORDER BY m.node_id, m.name, m.id LIMIT 1")


def member_brief_of_worker(worker) -> MemberBrief | None:
    """The worker's active membership in brief (id, name, union's tree path), one query."""
    with prepared.cursor() as cur:
        cur.execute(_BRIEF_SQL, [worker.phone_hash, MemberStatus.ACTIVE])
        row = cur.fetchone()
    return MemberBrief(*row) if row else None


WORKER_APPLICATIONS = 10  # the latest join applications a worker's phone lists (the page says so when it is full)


def applications_of_worker(worker) -> list[JoinApplication]:
    with scopes_disabled():
        return list(JoinApplication.objects.select_related("node").filter(worker=worker)
                    .order_by("-submitted_at")[:WORKER_APPLICATIONS])


def application_of_worker(worker, pk) -> JoinApplication:
    with scopes_disabled():
        try:
            return JoinApplication.objects.select_related("node").get(pk=pk, worker=worker)
        except (JoinApplication.DoesNotExist, ValueError, TypeError):
            raise Http404 from None


def phones_at_employers_without_union(node) -> list[str]:
    """Mobile numbers of people working at employers of ``node``'s ledger (and below) that have no union
    of their own: members of a catch-all union employed there, and people who applied to join naming
    such an employer (notices to groups, docs/messaging.md)."""
    with scopes_disabled():
        members = (Member.objects.filter(employer__node__path__startswith=node.path, employer__union__isnull=True,
                                         status=MemberStatus.ACTIVE).exclude(phone_hash="")
                   .values_list("phone", flat=True))
        applicants = (JoinApplication.objects.filter(employer__node__path__startswith=node.path,
                                                     employer__union__isnull=True)
                      .exclude(status=ApplicationStatus.WITHDRAWN).values_list("phone", flat=True))
        return [*members, *applicants]


def review_queue_summary(*, within) -> dict:
    """Pending join applications and how many are past their deadline (for the console home)."""
    from django.utils import timezone

    qs = JoinApplication.objects.filter(status=ApplicationStatus.PENDING)
    if within is not None:
        qs = qs.filter(node__path__within=within)
    return qs.aggregate(pending=Count("id"), overdue=Count("id", filter=Q(due_on__lt=timezone.localdate())))
