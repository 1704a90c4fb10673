from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "gonghui.stats"
    verbose_name = _("Statistics")

    def ready(self):
        # Each app's indicators.py registers its figures with gonghui.core.indicators; stats imports
        # no app by name, so a module's figures are one file in that module.
        autodiscover_modules("indicators")
