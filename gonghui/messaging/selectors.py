"""Reads of the outbox: a worker's inbox and unread count, the staff's view of parked messages and delivery figures."""

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import StrIndex, Substr

from gonghui.accounts.models import Role
from gonghui.accounts.permissions import has_role
from gonghui.members.selectors import member_brief_of_worker
from gonghui.orgs.models import Node

from .models import Bulletin, Message, Notice, OptOut, State


def inbox(worker):
    """The worker's own messages, newest first."""
    return Message.objects.filter(worker=worker, in_inbox=True).order_by("-created_at", "-pk")


def unread_count(worker) -> int:
    """Messages in the worker's inbox not yet read (for the "我的" page's badge)."""
    if worker is None:
        return 0
    return Message.objects.filter(worker=worker, in_inbox=True, read_at__isnull=True).count()


def parked_keys(dedupe_keys: list[str]) -> set[str]:
    """The dedupe keys among ``dedupe_keys`` whose message was parked (given up, never delivered).
    One parked because its sender died mid-send may have gone out, so it is not among them."""
    return set(Message.objects.filter(dedupe_key__in=dedupe_keys, state=State.PARKED)
               .exclude(provider_answer__startswith="interrupted while sending")
               .values_list("dedupe_key", flat=True))


def can_see_outbox(user) -> bool:
    """The outbox is the whole county's: its administrators (at the top of the tree) see it."""
    if getattr(user, "is_superuser", False):
        return True
    roots = Node.objects.get_root_nodes()
    return any(has_role(user, root, {Role.ADMIN}) for root in roots)


def outbox_rows(*, state: str = ""):
    rows = Message.objects.order_by("-created_at", "-pk")
    if state:
        rows = rows.filter(state=state)
    return rows


def figures() -> dict[str, int]:
    counts = dict(Message.objects.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    return {state: counts.get(state, 0) for state in State.values}


def opted_out(worker) -> bool:
    """The worker asked for no ordinary notices to groups."""
    return OptOut.objects.filter(phone_hash=worker.phone_hash).exists()


def bulletins_for_worker(worker, *, limit: int = 20) -> list[Bulletin]:
    """News and announcements for a member: their own union's, and the public ones of the unions above it."""
    membership = member_brief_of_worker(worker) if worker is not None else None
    if membership is None:
        return []
    path, step = membership.node_path, Node.steplen
    above = [path[:end] for end in range(step, len(path), step)]
    rows = (Bulletin.objects.select_related("node").filter(Q(node__path=path) | Q(node__path__in=above, public=True))
            .order_by("-published_at", "-pk"))
    return list(rows[:limit])


def bulletins_of(node) -> QuerySet[Bulletin]:
    """A union's news and announcements, newest first (the console pages them)."""
    return Bulletin.objects.filter(node=node).order_by("-published_at", "-pk")


def notice_list(node) -> QuerySet[Notice]:
    """A union's notices to groups, newest first (the console pages them)."""
    return Notice.objects.filter(node=node).order_by("-created_at", "-pk")


def notice_figures(notice_ids) -> dict[int, dict[str, int]]:
    """Delivery figures (messages by state) of each of the notices, in one query for a page of them.

    A notice's messages carry it in their key, ``notice:<id>:<phone hash>``; the id is read back
    from the key, and each notice's prefix bounds what is counted."""
    notice_ids = list(notice_ids)
    if not notice_ids:
        return {}
    prefixes = Q()
    for pk in notice_ids:
        prefixes |= Q(dedupe_key__startswith=f"notice:{pk}:")
    rest = Substr("dedupe_key", len("notice:") + 1)
    rows = (Message.objects.filter(prefixes)
            .annotate(notice=Substr(rest, 1, StrIndex(rest, Value(":")) - 1))
            .values("notice", "state").annotate(n=Count("pk")))
    figures: dict[int, dict[str, int]] = {pk: {} for pk in notice_ids}
    for row in rows:
        figures[int(row["notice"])][row["state"]] = row["n"]
    return figures
