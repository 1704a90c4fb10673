"""The contests module's actions (see gonghui/core/permissions.py). Judges score by assignment, not
by role: a judge's sheet is checked against the account it was assigned to (services/judging.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import OWNER, SUBTREE, declare

ADMIN, CLERK, REVIEWER, VIEWER = "admin", "clerk", "reviewer", "viewer"

declare("contests.contest.create", _("Create a skills or labour contest"), (ADMIN, CLERK), SUBTREE)
declare("contests.round.create", _("Add a round to a contest"), (ADMIN, CLERK), OWNER)
declare("contests.item.create", _("Add a score item to a contest"), (ADMIN, CLERK), OWNER)
declare("contests.round.score", _("Close a round's entries and open the judges' sheets"), (ADMIN, CLERK), OWNER)
declare("contests.entry.create", _("Enter an enterprise and its workers in a contest round"), (ADMIN, CLERK), SUBTREE,
        note="At the enterprise's union (or above it), inside the organizer's area.")
declare("contests.entry.withdraw", _("Withdraw a worker from a contest round"), (ADMIN, CLERK), SUBTREE)
declare("contests.judge.assign", _("Assign judges to a round's entries"), (ADMIN, CLERK), OWNER)
declare("contests.judge.reopen", _("Reopen a judge's submitted sheet"), (ADMIN, CLERK), OWNER)
declare("contests.round.award", _("Publish a round's results and prizes"), (ADMIN, CLERK), OWNER,
        note="Qualifiers enter the next round; the final's title enters the model-worker register.")
declare("contests.results.read", _("Read a round's results and scores"), (ADMIN, CLERK, REVIEWER, VIEWER), OWNER)
