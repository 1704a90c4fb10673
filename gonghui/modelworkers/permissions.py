"""The model-worker register's actions (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

ADMIN, CLERK = "admin", "clerk"

declare("modelworkers.person.register", _("Enter a model worker or craftsman in the register"), (ADMIN, CLERK), SUBTREE)
declare("modelworkers.honour.add", _("Add an honour to a model worker"), (ADMIN, CLERK), SUBTREE)
declare("modelworkers.member.link", _("Link a model worker to their member record"), (ADMIN, CLERK), SUBTREE,
        note="A member record is linked to one register entry at most.")
declare("modelworkers.person.status", _("Change a model worker's status"), (ADMIN, CLERK), SUBTREE)
declare("modelworkers.care.record", _("Record a visit or health check-up of a model worker"), (ADMIN, CLERK), SUBTREE)
declare("modelworkers.trip.create", _("Organize a recuperation trip"), (ADMIN, CLERK), SUBTREE)
declare("modelworkers.trip.place", _("Give a model worker a recuperation place"), (ADMIN, CLERK), SUBTREE)
declare("modelworkers.hardship.record", _("Record hardship help to a model worker"), (ADMIN, CLERK), SUBTREE, money=True,
        note="The help is given through an assistance file of the aid module; the register keeps its number.")
declare("modelworkers.allowance.enter", _("Enter a special allowance for a model worker"), (ADMIN, CLERK), SUBTREE,
        money=True, note="Entered as an application of an aid programme: approved, paid and reversed by others under "
        "the aid module's rules and ledger.")
