from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "peernet.members"
    label = "members"
    verbose_name = "Members"
