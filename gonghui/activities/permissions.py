"""The activities' actions: terms, activities, sign-ups and attendance, volunteers, commendations
(see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

ADMIN, CLERK, REVIEWER = "admin", "clerk", "reviewer"

declare("activities.term.create", _("Open a term of activities"), (ADMIN, CLERK), SUBTREE)
declare("activities.activity.create", _("Add an activity"), (ADMIN, CLERK), SUBTREE)
declare("activities.activity.update", _("Edit an activity"), (ADMIN, CLERK), SUBTREE)
declare("activities.activity.publish", _("Publish an activity"), (ADMIN, CLERK), SUBTREE)
declare("activities.activity.close", _("Close an activity's sign-up"), (ADMIN, CLERK), SUBTREE)
declare("activities.activity.cancel", _("Cancel an activity"), (ADMIN, CLERK), SUBTREE)
declare("activities.booking.list", _("See who signed up"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("activities.booking.export", _("Export who signed up"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("activities.waitlist.reorder", _("Reorder the waiting list"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("activities.waitlist.remove", _("Remove someone from the waiting list"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("activities.attendance.check_in", _("Check people in"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("activities.team.create", _("Form a volunteer team"), (ADMIN, CLERK), SUBTREE)
declare("activities.team.add_volunteer", _("Add a volunteer to a team"), (ADMIN, CLERK), SUBTREE)
declare("activities.team.remove_volunteer", _("Remove a volunteer from a team"), (ADMIN, CLERK), SUBTREE)
declare("activities.team.set_leader", _("Name a team's leader"), (ADMIN, CLERK), SUBTREE)
declare("activities.team.record_service", _("Record volunteer service hours"), (ADMIN, CLERK), SUBTREE)
declare("activities.commendation.create", _("Open a commendation list"), (ADMIN, CLERK), SUBTREE)
declare("activities.commendation.add_entry", _("Add someone to a commendation list"), (ADMIN, CLERK), SUBTREE)
declare("activities.commendation.remove_entry", _("Remove someone from a commendation list"), (ADMIN, CLERK), SUBTREE)
