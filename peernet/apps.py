from django.apps import AppConfig


class PeernetConfig(AppConfig):
    """The project package itself: shared template tags and management commands."""

    name = "peernet"
