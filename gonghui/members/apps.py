from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gonghui.members"
    verbose_name = _("Members")

    def ready(self):
        from gonghui.orgs.selectors import register_member_counter

        from .selectors import count_active_members

        register_member_counter(count_active_members)

        from gonghui.orgs.signals import node_merged

        from .services.roster import move_members_of_merged_node

        def on_merge(sender, *, source, target, actor, **kwargs):
            move_members_of_merged_node(source=source, target=target, actor=actor)

        node_merged.connect(on_merge, dispatch_uid="members.move_on_merge", weak=False)
