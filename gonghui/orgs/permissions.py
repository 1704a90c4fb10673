"""The organization tree's actions: unions, employers (the ledger), staff (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

ADMIN, CLERK, REVIEWER, VIEWER = "admin", "clerk", "reviewer", "viewer"

declare("orgs.node.create", _("Add a union below"), (ADMIN,), SUBTREE, note="Held at the parent union.")
declare("orgs.node.update", _("Edit a union"), (ADMIN,), SUBTREE)
declare("orgs.node.move", _("Move a union under another parent"), (ADMIN,), SUBTREE,
        note="Held both over the union and over its new parent.")
declare("orgs.node.merge", _("Merge a union into another"), (ADMIN,), SUBTREE, note="Held over both unions.")
declare("orgs.node.dissolve", _("Dissolve a union"), (ADMIN,), SUBTREE)
declare("orgs.staff.create", _("Add a union's full-time staff"), (ADMIN,), SUBTREE)
declare("orgs.staff_target.set", _("Set a union's staffing target"), (ADMIN,), SUBTREE)
declare("orgs.employer.create", _("Add an employer to the ledger"), (ADMIN, CLERK), SUBTREE)
declare("orgs.employer.update", _("Edit an employer in the ledger"), (ADMIN, CLERK), SUBTREE)
declare("orgs.employer.link_union", _("Name the union that covers an employer"), (ADMIN, CLERK, VIEWER, REVIEWER),
        SUBTREE, note="Any cadre role over the union named.")
