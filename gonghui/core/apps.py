from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from . import lookups  # noqa: F401  registers the subtree lookup
