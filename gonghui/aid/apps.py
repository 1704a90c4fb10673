from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "gonghui.aid"
    verbose_name = _("Assistance")

    def ready(self):
        from gonghui.core import log

        from .legacy import legacy_seal
        from .models import Disbursement

        log.register(Disbursement, legacy_hash=legacy_seal)  # verified and sealed with the audit log
