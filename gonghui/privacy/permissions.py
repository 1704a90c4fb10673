"""The privacy module's actions (see gonghui/core/permissions.py): the cadres who answer workers'
personal-information requests see what the worker wrote, so only officers of the worker's union."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, declare

declare("privacy.request.view", _("See workers' personal-information requests and their deadlines"), ("admin", "clerk", "reviewer"),
        SUBTREE, personal=True)
declare("privacy.request.decide", _("Answer a worker's request to correct or delete their data"), ("admin", "clerk", "reviewer"),
        SUBTREE, personal=True)
