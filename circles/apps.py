from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"

    def ready(self) -> None:
        from circles.selectors import active_member_ids
        from peernet.notify.registry import register_circle_audience

        register_circle_audience(active_member_ids)
