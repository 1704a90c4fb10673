from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "gonghui.worker"
    label = "worker"
    verbose_name = "职工服务端"
