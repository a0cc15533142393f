from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"

    def ready(self) -> None:
        from circles import board_cache, digest, member_data, nav, selectors
        from peernet.members.registry import register_member_data, register_name_changed
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
        register_name_changed(board_cache.author_name_changed)
        nav.register_waiting_count(nav.JOIN_REQUESTS, nav.join_requests_to_review)
        nav.register_waiting_count(nav.UNREAD_CONVERSATIONS, nav.unread_conversations)
