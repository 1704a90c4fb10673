"""The counselling module's actions (see gonghui/core/permissions.py). Workers book, cancel and
reschedule their own sessions (checked against the worker, no role); the note is the counsellor's
alone (checked against the session's counsellor account, no role opens it)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

declare("counselling.counsellor.create", _("Add a counsellor with their hours at a counselling room"), ["admin"],
        SUBTREE)
declare("counselling.stats.view", _("See counselling counts (sessions, people, hours)"),
        ["admin", "clerk", "reviewer", "viewer"], SUBTREE, note="Counts only: never who, never what was said.")
declare("counselling.session.supervise",
        _("Supervise counselling bookings: who booked which counsellor when, never the topic or the note"),
        ["admin"], SUBTREE, personal=True,
        note="For safety: the admin of the counselling room's union; the topic and notes stay the counsellor's.")
