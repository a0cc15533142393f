from django.apps import AppConfig


class NetworksConfig(AppConfig):
    """Networks of circles: made, joined and left by each circle's own decisions; a board of
    the needs and offers members choose to share; questions decided one circle, one vote."""

    name = "governance.networks"
    label = "networks"

    def ready(self) -> None:
        from governance.networks import kinds

        kinds.register()

        from governance.networks import digest
        from peernet.notify.registry import register_digest_section

        for section in digest.SECTIONS:
            register_digest_section(section)
