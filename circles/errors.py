class CircleError(Exception):
    """A rule of the circle refuses the action; the message is shown to the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
