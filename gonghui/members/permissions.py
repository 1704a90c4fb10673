"""The members module's actions: roster, personal data in full, joining and transfers
(see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

ADMIN, CLERK, REVIEWER = "admin", "clerk", "reviewer"

declare("members.member.list", _("List members (masked)"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("members.member.view", _("See a member (masked)"), (ADMIN, CLERK, REVIEWER), SUBTREE)
declare("members.member.full_data", _("See members' ID numbers and phones in full (pages, exports, API)"), (ADMIN, CLERK),
        SUBTREE, personal=True, note="Decided per row, from the roles that cover that row's union.")
declare("members.member.reveal", _("Reveal one member's ID number and phone"), (ADMIN, CLERK), SUBTREE, personal=True)
declare("members.member.create", _("Add a member"), (ADMIN, CLERK), SUBTREE)
declare("members.member.update", _("Edit a member"), (ADMIN, CLERK), SUBTREE)
declare("members.member.correct_identity", _("Correct a member's name or ID number"), (ADMIN,), SUBTREE)
declare("members.member.leave", _("Record a member leaving"), (ADMIN, CLERK), SUBTREE)
declare("members.member.reinstate", _("Reinstate a member"), (ADMIN, CLERK), SUBTREE)
declare("members.import", _("Import a roster file"), (ADMIN, CLERK), SUBTREE, personal=True)
declare("members.card.revoke", _("Revoke a membership card"), (ADMIN, CLERK), SUBTREE)
declare("members.join_link.view", _("Show and print a join link"), (ADMIN, CLERK), SUBTREE)
declare("members.join_link.revoke", _("Revoke a join link"), (ADMIN, CLERK), SUBTREE)
declare("members.prospect.invite", _("Invite a prospect to join"), (ADMIN, CLERK), SUBTREE, personal=True)
declare("members.application.view", _("See a join application"), (ADMIN, REVIEWER), SUBTREE, personal=True)
declare("members.application.approve", _("Approve a join application"), (ADMIN, REVIEWER), SUBTREE)
declare("members.application.reject", _("Reject a join application"), (ADMIN, REVIEWER), SUBTREE)
declare("members.transfer.request", _("Request a membership transfer"), (ADMIN, CLERK), SUBTREE,
        note="At the outgoing union or the receiving one.")
declare("members.transfer.approve_out", _("Approve a transfer out"), (ADMIN, REVIEWER), SUBTREE)
declare("members.transfer.approve_in", _("Approve a transfer in"), (ADMIN, REVIEWER), SUBTREE)
declare("members.transfer.reject_out", _("Refuse a transfer out"), (ADMIN, REVIEWER), SUBTREE)
declare("members.transfer.reject_in", _("Refuse a transfer in"), (ADMIN, REVIEWER), SUBTREE)
declare("members.transfer.cancel", _("Cancel a transfer"), (ADMIN,), SUBTREE)
