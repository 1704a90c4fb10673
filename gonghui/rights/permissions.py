"""The rights module's actions: cases and their moves, claims, checkups, collective agreements
(see gonghui/core/permissions.py). An outside mediator holds no role in a subtree: they act only on the
cases they are invited to or assigned (relation "invited"; the service checks the invitation)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import INVITED, SUBTREE, declare

ADMIN, CLERK, REVIEWER, VIEWER, FINANCE, MEDIATOR = "admin", "clerk", "reviewer", "viewer", "finance", "mediator"

declare("rights.case.read", _("Read the rights cases (claimants' details)"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("rights.case.mediate", _("Take part in an invited case as mediator"), (MEDIATOR,), INVITED, personal=True,
        note="Sessions and the agreement of the invited case; may close a mediated case; nothing else.")
declare("rights.case.export_full", _("Export cases with claimants' details in full"), (ADMIN, CLERK), SUBTREE,
        personal=True)
declare("rights.case.invite", _("Invite an outside mediator to a case"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("rights.figures.view", _("See rights figures (no personal data)"), (ADMIN, CLERK, REVIEWER, VIEWER, FINANCE), SUBTREE)
declare("rights.list", _("List cases through the API"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("rights.claim.create", _("Take in a claim for a worker"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
for _name, _label in (("accept", _("Accept a case")), ("decline", _("Decline a case")),
                      ("assign", _("Assign a case's handler")), ("investigate", _("Start investigating a case")),
                      ("mediate", _("Start mediating a case")), ("legal_aid", _("Refer a case to legal aid")),
                      ("arbitration", _("Refer a case to arbitration")), ("litigation", _("Refer a case to court")),
                      ("close", _("Close a case")), ("visit", _("Record a case's follow-up visit")),
                      ("withdraw", _("Withdraw a case for the claimant"))):
    declare(f"rights.move.{_name}", _label, (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("rights.checkup.list", _("List labour-law checkups"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("rights.checkup.view", _("See a labour-law checkup"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("rights.checkup.create", _("Record a labour-law checkup"), (ADMIN, CLERK), SUBTREE)
declare("rights.checkup.rectify", _("Record a finding put right"), (ADMIN, CLERK), SUBTREE)
declare("rights.checklist.edit", _("Edit the checkup checklist"), (ADMIN, CLERK), SUBTREE,
        note="At a county, city or province federation.")
declare("rights.agreement.list", _("List collective agreements"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("rights.agreement.create", _("Record a collective agreement"), (ADMIN, CLERK), SUBTREE)
