"""Messaging's actions (see gonghui/core/permissions.py): notices to groups are written by a union's
administrators and clerks for their subtree; a large one is approved by a reviewer or administrator
other than its author."""

from django.utils.translation import gettext_lazy as _

from gonghui.core.permissions import SUBTREE, Excludes, declare

declare("messaging.notice.send", _("Write and send a notice to a group of workers"), ("admin", "clerk"), SUBTREE)
declare("messaging.notice.approve", _("Approve a large notice before it is sent"), ("admin", "reviewer"), SUBTREE,
        excludes=[Excludes("messaging.notice.send", "own_notice", _("Another person reviews a notice you wrote."))])
declare("messaging.bulletin.publish", _("Publish union news and announcements on members' worker pages"),
        ("admin", "clerk"), SUBTREE)
