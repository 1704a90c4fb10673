from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "gonghui.members"
    verbose_name = _("Members")

    def ready(self):
        from gonghui.orgs.selectors import register_member_counter

        from .selectors import count_active_members

        register_member_counter(count_active_members)
