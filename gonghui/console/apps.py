from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "gonghui.console"
    label = "console"
    verbose_name = "工作台"
