from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "gonghui.funds"
    verbose_name = _("Funds and projects")

    def ready(self):
        from gonghui.core.integrity import register

        from .services.ledger import verify_ledger

        def verify() -> tuple[int, list[str]]:
            result = verify_ledger()
            return result.checked, result.problems

        register("funds.ledger", verify)
