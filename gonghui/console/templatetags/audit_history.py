"""``{% audit_history obj %}``: an object's history from the audit log, on the object's own page.

Whoever may open the page sees what happened to the object — when, who, what — newest first
(the last 50). Addresses stay in the full log, which administrators read (``console:audit``)."""

from django import template

from gonghui.console.audit_log import may_read
from gonghui.core.models import AuditEntry

register = template.Library()
LIMIT = 50


@register.inclusion_tag("console/_audit_history.html", takes_context=True)
def audit_history(context, obj):
    rows = list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .only("seq", "at", "actor_type", "actor_label", "action", "channel").order_by("-seq")[:LIMIT])
    user = getattr(context.get("request"), "user", None)
    return {"rows": rows, "more": len(rows) == LIMIT, "obj_type": obj._meta.label_lower, "obj_id": obj.pk,
            "full_log": bool(user is not None and user.is_authenticated and may_read(user))}
