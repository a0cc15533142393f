from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """Reports, the care rota drawn by lot, and each circle's crisis plan in use."""

    name = "governance.safety"
    label = "safety"

    def ready(self) -> None:
        from governance.record import register_record_section
        from governance.safety import member_data, selectors
        from peernet.members.registry import register_member_data

        register_record_section("care", selectors.care_counts)
        register_member_data(member_data.CONTRIBUTION)
