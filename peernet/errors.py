"""The one error a service raises when a rule refuses what a person asked for."""

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule refuses the action. The message is for the person: a view shows it as a form
    error or a message, never as a server error."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def full_clean_or_refuse(instance, **kwargs) -> None:
    """instance.full_clean(), with what it finds wrong raised as a DomainError, so a model's
    own checks reach the person by the same road as every other rule."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error
