from django.apps import AppConfig


class LegitimacyConfig(AppConfig):
    """What a circle counts, the stories members consent to share, the reports it votes to
    publish, and the funding and partners it accepts: all on the circle's own terms."""

    name = "governance.legitimacy"
    label = "legitimacy"

    def ready(self) -> None:
        from governance.legitimacy import kinds, member_data
        from peernet.members.registry import register_member_data

        kinds.register()
        register_member_data(member_data.CONTRIBUTION)
