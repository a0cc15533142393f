from django.core.mail.backends.base import BaseEmailBackend


class RefusingSMTP(BaseEmailBackend):
    """Behaves like an SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server is down")
