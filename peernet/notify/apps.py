from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "peernet.notify"
    label = "notify"
    verbose_name = "Notifications"
