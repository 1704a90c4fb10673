"""The statistics module's actions (see gonghui/core/permissions.py)."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

declare("stats.template.update", _("Set the work report template of a union's subtree"), ("admin",), SUBTREE)
