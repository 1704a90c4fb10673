from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "gonghui.messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from gonghui.core import notify

        from .selectors import parked_keys
        from .services import queue_from_notify

        notify.set_outbox(queue_from_notify)
        notify.set_parked_lookup(parked_keys)
