from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "gonghui.aid"
    verbose_name = _("Assistance")

    def ready(self):
        from gonghui.core.integrity import register

        from .services.ledger import verify_ledger

        register("aid.disbursements", verify_ledger)
