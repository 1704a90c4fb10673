"""The members module's actions: roster, personal data in full, joining and transfers
(see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

ADMIN, CLERK, REVIEWER = "admin", "clerk", "reviewer"
WRITERS, READERS, REVIEWERS = (ADMIN, CLERK), (ADMIN, CLERK, REVIEWER), (ADMIN, REVIEWER)

declare("members.member.list", _("List members (masked)"), READERS, SUBTREE)
declare("members.member.view", _("See a member (masked)"), READERS, SUBTREE)
declare("members.member.full_data", _("See members' ID numbers and phones in full (pages, exports, API)"), WRITERS,
        SUBTREE, personal=True, note="Decided per row, from the roles that cover that row's union.")
declare("members.member.reveal", _("Reveal one member's ID number and phone"), WRITERS, SUBTREE, personal=True)
declare("members.member.create", _("Add a member"), WRITERS, SUBTREE)
declare("members.member.update", _("Edit a member"), WRITERS, SUBTREE)
declare("members.member.correct_identity", _("Correct a member's name or ID number"), (ADMIN,), SUBTREE)
declare("members.member.leave", _("Record a member leaving"), WRITERS, SUBTREE)
declare("members.member.reinstate", _("Reinstate a member"), WRITERS, SUBTREE)
declare("members.import", _("Import a roster file"), WRITERS, SUBTREE, personal=True)
declare("members.card.revoke", _("Revoke a membership card"), WRITERS, SUBTREE)
declare("members.join_link.view", _("Show and print a join link"), WRITERS, SUBTREE)
declare("members.join_link.revoke", _("Revoke a join link"), WRITERS, SUBTREE)
declare("members.prospect.invite", _("Invite a prospect to join"), WRITERS, SUBTREE, personal=True)
declare("members.application.view", _("See a join application"), REVIEWERS, SUBTREE, personal=True)
declare("members.application.approve", _("Approve a join application"), REVIEWERS, SUBTREE)
declare("members.application.reject", _("Reject a join application"), REVIEWERS, SUBTREE)
declare("members.transfer.request", _("Request a membership transfer"), WRITERS, SUBTREE,
        note="At the outgoing union or the receiving one.")
declare("members.transfer.approve_out", _("Approve a transfer out"), REVIEWERS, SUBTREE)
declare("members.transfer.approve_in", _("Approve a transfer in"), REVIEWERS, SUBTREE)
declare("members.transfer.reject_out", _("Refuse a transfer out"), REVIEWERS, SUBTREE)
declare("members.transfer.reject_in", _("Refuse a transfer in"), REVIEWERS, SUBTREE)
declare("members.transfer.cancel", _("Cancel a transfer"), (ADMIN,), SUBTREE)
