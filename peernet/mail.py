"""Email for the embedded default (`make run`): one line in the terminal per email sent.

Without EMAIL_HOST, settings.MAILERS sends every email to ConsoleBackend, which prints who it
is for and its subject, plus the code when it carries one (a login code, an email
verification code), so a person trying Peernet spots the code without reading whole emails.
`emails_discarded()` lets `seed_demo` record its demo emails as sent without printing them.
"""

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

# The attribute members/adapter.py sets on an email that carries a code (allauth's login,
# verification and password reset codes), for the console line to show it.
CODE_ATTRIBUTE = "peernet_code"


def console_line(message: EmailMessage) -> str:
    """'email to ana@…: <subject>', and the code if the email carries one."""
    line = f"email to {', '.join(message.recipients())}: {message.subject}"
    if code := getattr(message, CODE_ATTRIBUTE, None):
        line += f"  →  code {code}"
    return line


class ConsoleBackend(BaseEmailBackend):
    """Prints one line per email instead of sending it."""

    def __init__(self, *, stream=None, **kwargs):
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def send_messages(self, email_messages) -> int:
        with self._lock:
            for message in email_messages:
                self.stream.write(console_line(message) + "\n")
            self.stream.flush()
        return len(email_messages)


class DiscardBackend(BaseEmailBackend):
    """Accepts every email and sends none; counts them for emails_discarded()."""

    counter: list[int] | None = None

    def send_messages(self, email_messages) -> int:
        if DiscardBackend.counter is not None:
            DiscardBackend.counter[0] += len(email_messages)
        return len(email_messages)


@contextmanager
def emails_discarded() -> Iterator[list[int]]:
    """Inside, every mailer accepts email and sends nothing; yields [how many were sent].

    For demo data only: its emails go to made-up addresses, and their notifications still
    show on the site.
    """
    from django.test.utils import override_settings  # only seed_demo needs it

    discard = {"BACKEND": f"{__name__}.DiscardBackend"}
    counter = [0]
    DiscardBackend.counter = counter
    try:
        with override_settings(MAILERS={alias: discard for alias in settings.MAILERS}):
            yield counter
    finally:
        DiscardBackend.counter = None
