from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "peernet.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from peernet.members.registry import register_member_data
        from peernet.notify import member_data

        register_member_data(member_data.CONTRIBUTION)
