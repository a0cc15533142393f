from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self) -> None:
        from circles.nav import OPEN_VOTES, register_waiting_count
        from circles.starters import register_founding_step
        from governance import digest, member_data, nav, starters
        from peernet.members.registry import register_member_data
        from peernet.notify.registry import register_digest_section

        for section in digest.SECTIONS:
            register_digest_section(section)
        register_member_data(member_data.CONTRIBUTION)
        for step in starters.STEPS:
            register_founding_step(step)
        register_waiting_count(OPEN_VOTES, nav.open_votes_not_cast)
