from circles.errors import CircleError


class GovernanceError(CircleError):
    """A rule of the circle's decision-making refuses the action; shown to the person."""
