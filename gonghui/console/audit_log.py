"""Reading the audit log (selectors): by subtree, filtered, with each entry's object linked.

Who reads it: administrators, over their subtree (``node_path`` of each record); an admin of a
top-level union (and a system administrator) also sees the records that belong to no union
(sign-ins, account events). The log holds no personal data by design (``core.audit``); the names
of people that appear in object labels are masked in lists and exports alike.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.accounts.permissions import scope_for
from gonghui.core.audit import verify_chain
from gonghui.core.checkpoints import verify_checkpoints
from gonghui.core.masking import mask_name
from gonghui.core.models import AuditEntry
from gonghui.core.scoping import scopes_disabled
from gonghui.orgs.models import Node

MAX_FILTER_LENGTH = 80
MAX_ROWS_EXPORTED = 50_000

# Where an entry's object is shown in the console (model label → URL name taking the pk).
OBJECT_PAGES = {
    "orgs.node": "orgs:node", "orgs.employer": "orgs:employer", "accounts.user": "accounts:cadre",
    "members.member": "members:detail", "members.application": "members:application",
    "activities.activity": "activities:detail", "positions.position": "positions:detail",
    "rights.case": "rights:case", "aid.application": "aid:application", "aid.programme": "aid:programme",
    "registration.registration": "registration:registration", "registration.application": "registration:application",
    "funds.payment": "funds:payment",
}
# Objects whose label is a person's name: masked wherever the log is shown.
PERSON_TYPES = frozenset({"members.member", "aid.hardshipfile", "accounts.worker"})


def may_read(user) -> bool:
    return bool(user.is_superuser or scope_for(user, "console.audit.view").paths)


def _scope(user):
    """The records ``user`` may read: their admin subtree; records of no union only for an admin of a
    top-level union or a system administrator."""
    qs = AuditEntry.objects.all()
    if user.is_superuser:
        return qs
    subtree = scope_for(user, "console.audit.view")
    top = any(len(path) == Node.steplen for path in subtree.paths)
    within = qs.filter(node_path__within=subtree)
    return (within | qs.filter(node_path="")) if top else within


@dataclass
class Filters:
    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    node: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None


def parse_filters(params) -> Filters:
    """Filters from a query string; a bad one is a ValidationError naming the field, in the user's language."""
    errors = {}
    values = {key: (params.get(key) or "").strip() for key in ("actor", "action", "object_type", "object_id", "node")}
    for key, value in values.items():
        if len(value) > MAX_FILTER_LENGTH:
            errors[key] = [_("At most %(n)d characters.") % {"n": MAX_FILTER_LENGTH}]
    dates = {}
    for key in ("since", "until"):
        raw = (params.get(key) or "").strip()
        if raw:
            try:
                dates[key] = datetime.date.fromisoformat(raw)
            except ValueError:
                errors[key] = [_("Enter a date as YYYY-MM-DD.")]
    if values["object_id"] and not values["object_id"].isdigit():
        errors["object_id"] = [_("An object id is a whole number.")]
    if dates.get("since") and dates.get("until") and dates["since"] > dates["until"]:
        errors["until"] = [_("The end of the period is before its start.")]
    if errors:
        raise ValidationError(errors)
    return Filters(**values, **dates)


def entries(user, filters: Filters):
    """The records ``user`` may read that match ``filters``, newest first (a queryset)."""
    qs = _scope(user)
    if filters.actor:
        qs = qs.filter(actor_label__icontains=filters.actor)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.node:
        with scopes_disabled():
            node = Node.objects.filter(code=filters.node).only("path").first()
        qs = qs.filter(node_path__startswith=node.path) if node is not None else qs.none()
    if filters.since:
        qs = qs.filter(at__gte=timezone.make_aware(datetime.datetime.combine(filters.since, datetime.time.min)))
    if filters.until:
        end = filters.until + datetime.timedelta(days=1)
        qs = qs.filter(at__lt=timezone.make_aware(datetime.datetime.combine(end, datetime.time.min)))
    return qs.order_by("-seq")


def object_history(user, obj):
    """The records about one object that ``user`` may read, oldest first."""
    return _scope(user).filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")


def shown_label(entry: AuditEntry) -> str:
    return mask_name(entry.object_repr) if entry.object_type in PERSON_TYPES else entry.object_repr


def object_url(entry: AuditEntry) -> str:
    name = OBJECT_PAGES.get(entry.object_type)
    if not name or not entry.object_id.isdigit():
        return ""
    try:
        return reverse(name, args=[int(entry.object_id)])
    except NoReverseMatch:
        return ""


def decorate(rows: list[AuditEntry]) -> list[dict]:
    """Rows for a page or an export: masked label, link, the union's name (one query for the page)."""
    paths = {row.node_path for row in rows if row.node_path}
    with scopes_disabled():
        names = dict(Node.objects.filter(path__in=paths).values_list("path", "name")) if paths else {}
    return [{"entry": row, "label": shown_label(row), "url": object_url(row), "node": names.get(row.node_path, ""),
             "at": timezone.localtime(row.at), "channel": channel_label(row.channel)} for row in rows]


def channel_label(channel: str) -> str:
    labels = {"console": pgettext("channel", "console"), "worker": pgettext("channel", "worker pages"),
              "api": pgettext("channel", "API"), "cli": pgettext("channel", "command line")}
    return labels.get(channel, channel)


def object_types() -> list[tuple[str, str]]:
    """The object types a filter may name: every model, labelled in the user's language."""
    return sorted(((m._meta.label_lower, str(m._meta.verbose_name)) for m in apps.get_models()
                   if m._meta.app_label not in {"contenttypes", "sessions", "auth", "admin", "otp_totp", "axes"}),
                  key=lambda item: item[1])


@dataclass
class Status:
    intact: bool
    rows: int
    verified_upto: int
    pending: int
    latest_at: object
    problems: list[str]


STATUS_CACHE_SECONDS = 300


def verification_status() -> Status:
    """The log's state for the top of its page: the keyed row hashes and the signed checkpoints. Checking
    reads the whole log, so the answer is kept for a few minutes (the nightly audit-verify is the
    full check)."""
    return cache.get_or_set("audit:verification-status", _verify, STATUS_CACHE_SECONDS)


def _verify() -> Status:
    chain = verify_chain()
    signed = verify_checkpoints()
    return Status(intact=chain.ok and signed.ok, rows=chain.checked, verified_upto=signed.verified_upto,
                  pending=signed.pending, latest_at=signed.latest_at, problems=[*chain.problems, *signed.problems][:10])
