"""The network board: posts shared with a network by members of its circles."""


def post_share_section(*, post, viewer) -> dict | None:
    """The post page's "share with a network" section, for its author only."""
    return None
