from django.apps import AppConfig


class PeernetConfig(AppConfig):
    """The project package itself: shared template tags, path converters and commands."""

    name = "peernet"

    def ready(self) -> None:
        from peernet import converters  # noqa: F401 - registers the path converters
