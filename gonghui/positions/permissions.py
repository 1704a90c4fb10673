"""The service positions' actions: positions, assessments, book rooms (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

ADMIN, CLERK, REVIEWER, VIEWER, FINANCE = "admin", "clerk", "reviewer", "viewer", "finance"

declare("positions.position.create", _("Add a service position"), (ADMIN, CLERK), SUBTREE)
declare("positions.position.update", _("Edit a service position"), (ADMIN, CLERK), SUBTREE)
declare("positions.position.move", _("Hand a position to another union"), (ADMIN, CLERK), SUBTREE,
        note="Held over the position's union and over the receiving union.")
declare("positions.position.import", _("Import positions from a file"), (ADMIN, CLERK), SUBTREE)
declare("positions.position.qr", _("Print a position's QR code"), (ADMIN, CLERK), SUBTREE)
declare("positions.photo.add", _("Add a position photo"), (ADMIN, CLERK), SUBTREE)
declare("positions.photo.remove", _("Remove a position photo"), (ADMIN, CLERK), SUBTREE)
declare("positions.visit.record", _("Record a visit to a position"), (ADMIN, CLERK), SUBTREE)
declare("positions.assessment.create", _("Assess a position against the standard"), (ADMIN, CLERK), SUBTREE)
declare("positions.assessment.evidence", _("Attach evidence to an assessment"), (ADMIN, CLERK), SUBTREE)
declare("positions.book.list", _("See a book room's books"), (ADMIN, CLERK, REVIEWER, VIEWER, FINANCE), SUBTREE)
declare("positions.book.add", _("Add a book"), (ADMIN, CLERK), SUBTREE)
declare("positions.book.copies", _("Add copies of a book"), (ADMIN, CLERK), SUBTREE)
declare("positions.copy.withdraw", _("Withdraw a copy"), (ADMIN, CLERK), SUBTREE)
declare("positions.loan.lend", _("Lend a book"), (ADMIN, CLERK), SUBTREE)
declare("positions.loan.return", _("Take a book back"), (ADMIN, CLERK), SUBTREE)
