"""API of the audit log (mounted under /api/v1/): administrators read their subtree's records."""

import datetime

from django.http import QueryDict
from ninja import Router, Schema
from ninja.pagination import paginate

from gonghui.core.schemas import Id, Pages

from . import audit_log

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    seq: int
    at: datetime.datetime
    actor_type: str
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    object_url: str
    node: str
    channel: str


@router.get("/audit", response=list[AuditEntryOut])
@paginate(Pages, page_size=50)
def list_audit_entries(request, actor: str = "", action: str = "", object_type: str = "", object_id: Id | None = None,
                       node: str = "", since: datetime.date | None = None, until: datetime.date | None = None):
    """The audit log of the caller's subtree (administrators; anyone else reads an empty list), newest first;
    the same filters as the console."""
    if not audit_log.may_read(request.user):
        return audit_log.entries(request.user, audit_log.Filters()).none()  # no admin role: nothing to read
    params = QueryDict(mutable=True)
    params.update({"actor": actor, "action": action, "object_type": object_type,
                   "object_id": str(object_id or ""), "node": node,
                   "since": since.isoformat() if since else "", "until": until.isoformat() if until else ""})
    filters = audit_log.parse_filters(params)  # ValidationError → 422 with the field named
    return _Rows(audit_log.entries(request.user, filters))


class _Rows:
    """A lazy page of decorated rows: the paginator slices the queryset, then one query names the unions."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = audit_log.decorate(list(self.qs[item]))
        return [{"seq": r["entry"].seq, "at": r["entry"].at, "actor_type": r["entry"].actor_type,
                 "actor_label": r["entry"].actor_label, "action": r["entry"].action,
                 "object_type": r["entry"].object_type, "object_id": r["entry"].object_id, "object_label": r["label"],
                 "object_url": r["url"], "node": r["node"], "channel": r["entry"].channel} for r in rows]

