from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gonghui.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import keycheck, lookups  # noqa: F401  registers the subtree lookup and the key check

        post_migrate.connect(keycheck.record_on_first_migrate, sender=self)

        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_on_login

        user_logged_in.connect(stamp_on_login, dispatch_uid="gonghui.core.sessions.stamp_on_login")

        from django.db.backends.signals import connection_created

        from . import dbwatchdog

        # A time limit on statements kept by the client: a frozen server ends a request with 503.
        connection_created.connect(dbwatchdog.install, dispatch_uid="gonghui.core.dbwatchdog")

        from . import log
        from .audit import legacy_hash
        from .models import AuditEntry

        log.register(AuditEntry, legacy_hash=legacy_hash)  # the ledgers register theirs in their apps

        from .permissions import autodiscover

        autodiscover()  # every app's declared actions (gonghui/<app>/permissions.py)
