from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "gonghui.funds"
    verbose_name = _("Funds and projects")

    def ready(self):
        from gonghui.core import log

        from .legacy import legacy_entry_hash
        from .models import LedgerEntry

        log.register(LedgerEntry, legacy_hash=legacy_entry_hash)  # verified and sealed with the audit log
