"""The aid module's actions: who may do what, at which union (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import OWNER, PARENT, SUBTREE, Excludes, declare

ADMIN, CLERK, REVIEWER, FINANCE = "admin", "clerk", "reviewer", "finance"

OWN_ENTRY = Excludes("aid.application.create", "own_entry",
                     _("You entered this application; another reviewer must decide it."))
SAME_REVIEWER = Excludes("aid.application.first_pass", "same_reviewer",
                         _("The second-level review must be done by someone else."))
APPROVER_PAYS = _("You reviewed or approved this application; someone else must pay it (whoever approves does not pay).")

declare("aid.programme.create", _("Open an aid programme"), [ADMIN], SUBTREE, money=True)
declare("aid.programme.close", _("Close an aid programme"), [ADMIN], OWNER)
declare("aid.budget.set", _("Set a programme budget or carve a share for a union below"), [ADMIN, FINANCE], PARENT,
        money=True, note="The organizing union sets its own budget; a share is carved out of the budget of the union "
        "above, by that union, never more than it has left.")
declare("aid.application.create", _("Enter an aid application"), (ADMIN, CLERK), SUBTREE, money=True)
declare("aid.application.raise", _("Raise an application above the standard amount"), (ADMIN, REVIEWER), OWNER,
        excludes=[OWN_ENTRY], money=True)
declare("aid.application.first_pass", _("First-level review of an aid application"), (ADMIN, REVIEWER), SUBTREE,
        excludes=[OWN_ENTRY], money=True)
declare("aid.application.approve", _("Approve an aid application"), (ADMIN, REVIEWER), SUBTREE,
        excludes=[OWN_ENTRY, SAME_REVIEWER], money=True,
        note="Two-level programmes: the second level is approved at the programme's organizing union.")
declare("aid.application.reject", _("Reject an aid application"), (ADMIN, REVIEWER), SUBTREE, excludes=[OWN_ENTRY])
declare("aid.application.withdraw", _("Withdraw an aid application"), (ADMIN, CLERK), SUBTREE)
declare("aid.application.pay", _("Record the payment of an aid application"), (ADMIN, CLERK, FINANCE), SUBTREE, money=True,
        excludes=[Excludes("aid.application.approve", "approver_pays", APPROVER_PAYS),
                  Excludes("aid.application.first_pass", "approver_pays", APPROVER_PAYS),
                  Excludes("aid.application.raise", "approver_pays", APPROVER_PAYS)])
declare("aid.application.reverse", _("Reverse an aid payment"), (ADMIN, CLERK, FINANCE), SUBTREE, money=True)
declare("aid.application.view", _("See an aid application"), (ADMIN, CLERK, REVIEWER, FINANCE), SUBTREE)
declare("aid.claim.view", _("See a medical claim's personal and medical details"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("aid.publicity.publish", _("Publish the approved applications"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("aid.objection.view", _("See an objection to a publicity"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("aid.objection.decide", _("Decide an objection to a publicity"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("aid.hardship.list", _("List hardship files"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("aid.hardship.view", _("See a hardship file"), (ADMIN, CLERK, REVIEWER), SUBTREE, personal=True)
declare("aid.hardship.create", _("Register a hardship file"), (ADMIN, CLERK), SUBTREE)
declare("aid.hardship.review", _("Review a hardship file"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("aid.hardship.exit", _("Close a hardship file"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("aid.hardship.document", _("Attach a document to a hardship file"), (ADMIN, CLERK), SUBTREE)
declare("aid.enrolment.list", _("List medical mutual-aid enrolments"), (ADMIN, CLERK, REVIEWER, FINANCE), SUBTREE)
declare("aid.enrolment.create", _("Enrol members in medical mutual aid"), (ADMIN, CLERK), SUBTREE)
declare("aid.wish.list", _("List micro-wishes"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("aid.wish.view", _("See a micro-wish"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("aid.wish.claim", _("Claim a micro-wish for the union"), (ADMIN, CLERK), SUBTREE)
declare("aid.wish.fulfil", _("Mark a micro-wish fulfilled"), (ADMIN, CLERK), SUBTREE)
declare("aid.application.list", _("List aid applications"), (ADMIN, CLERK, REVIEWER, FINANCE), SUBTREE)
declare("aid.ledger.list", _("See the aid disbursement ledger"), (ADMIN, CLERK, REVIEWER, FINANCE), SUBTREE, money=True)
declare("aid.ledger.export", _("Export the aid disbursement ledger"), (ADMIN, CLERK, REVIEWER, FINANCE), SUBTREE, money=True)
