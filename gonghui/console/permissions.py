"""The console's own actions: the audit log and the statistics landing (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

declare("console.audit.view", _("Read and export the audit log"), ("admin",), SUBTREE, personal=True,
        note="Entries of the admin's subtree; entries of no union only for an admin of a top-level union.")
declare("console.dashboard.view", _("Land on the statistics dashboard"), ("admin", "viewer"), SUBTREE)
