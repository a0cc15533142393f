from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self) -> None:
        from governance import digest, member_data
        from peernet.members.registry import register_member_data
        from peernet.notify.registry import register_digest_section

        for section in digest.SECTIONS:
            register_digest_section(section)
        register_member_data(member_data.CONTRIBUTION)
