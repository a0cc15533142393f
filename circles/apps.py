from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"

    def ready(self) -> None:
        from circles import digest, member_data, selectors
        from peernet.members.registry import register_member_data
        from peernet.notify.registry import (
            CircleDirectory,
            register_circle_directory,
            register_digest_section,
        )

        register_circle_directory(
            CircleDirectory(
                members_among=selectors.active_member_ids,
                circles_of=selectors.circles_of_members,
                names=selectors.circle_names,
            )
        )
        for section in digest.SECTIONS:
            register_digest_section(section)
        register_member_data(member_data.CONTRIBUTION)
