"""`make run` reads well: quiet until it serves, then one block (address, demo login, where codes
show), then one line per email; account emails come from Peernet, with the code on its line."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from peernet.mail import CODE_ATTRIBUTE, ConsoleBackend
from peernet.management.commands.serve_demo import Command as ServeDemo
from peernet.management.commands.serve_demo import banner
from peernet.members.demo import DEMO_PASSWORD
from peernet.notify.models import EmailDelivery
from tests.e2e.browser import LOGIN_CODE_RE
from tests.factories import UserFactory

MAKEFILE = Path(settings.BASE_DIR) / "Makefile"
MOST_LINES_BEFORE_SERVING = 40
# Lines `make run` prints that this test does not produce itself: on a fresh clone, the install
# step's one ("Installing the locked dependencies ..."; pip is silenced below errors, as
# test_the_install_step_prints_one_line checks); run_periodic's "Running N periodic tasks in
# process."; and a reserve for the odd warning.
OTHER_LINES = 1 + 1 + 3
CODE_LINE = re.compile(r"^email to ana@example\.org: .+  →  code [A-Z0-9]{4}-?[A-Z0-9]{4}$")


def run_recipe(target: str = "run") -> list[str]:
    """The commands of a Makefile target (`run` unless told), continued lines joined."""
    recipe, inside, continued = [], False, False
    for line in MAKEFILE.read_text().splitlines():
        if line.startswith(f"{target}:"):
            inside = True
        elif inside and (line.startswith("\t") or continued):
            text = line.strip()
            if continued:
                recipe[-1] = recipe[-1].removesuffix("\\") + " " + text
            else:
                recipe.append(text)
            continued = text.endswith("\\")
        elif inside:
            break
    assert recipe, f"no {target} target in the Makefile"
    return recipe


@pytest.mark.django_db(transaction=True)  # the demo's emails go out on commit, as in `make run`
def test_seed_demo_is_quiet_and_sends_no_email(capfd):
    call_command("seed_demo", force=True)
    first = capfd.readouterr()
    call_command("seed_demo", force=True)
    again = capfd.readouterr()

    emails = EmailDelivery.objects.count()
    assert first.out.splitlines() == [
        f"Demo data ready: 6 members, 4 circles, {emails} demo emails not sent."
    ]
    assert again.out.splitlines() == ["Demo data ready: 6 members, 4 circles."]
    assert first.err == again.err == ""
    # Recorded as sent (nothing left for send_pending_emails), but nothing reached a mailbox.
    assert EmailDelivery.objects.exists()
    assert not EmailDelivery.objects.filter(sent_at__isnull=True).exists()
    assert mail.outbox == []


def test_make_run_prints_at_most_40_lines_before_it_serves():
    recipe = run_recipe()
    echoes = [line for line in recipe if line.startswith("@echo")]
    migrate = next(line for line in recipe if "manage.py migrate" in line)
    seed = next(line for line in recipe if "manage.py seed_demo" in line)
    assert "-v0" in migrate.split(), "migrate must be quiet: one line per migration otherwise"
    assert "-v" not in seed, "the count below is seed_demo's default output"
    assert "manage.py serve_demo" in recipe[-1], "the last thing printed is serve_demo's block"

    out = io.StringIO()
    command = ServeDemo(stdout=out)
    command.addr, command.protocol, command._raw_ipv6 = "127.0.0.1", "http", False
    command.on_bind(8000)
    block = out.getvalue().splitlines()
    seed_lines = 1  # test_seed_demo_is_quiet_and_sends_no_email: its exact output

    total = len(echoes) + seed_lines + OTHER_LINES + len(block)
    assert total <= MOST_LINES_BEFORE_SERVING, total
    text = "\n".join(block)
    assert "Peernet is running at http://127.0.0.1:8000/" in text
    assert f"ana@demo.peernet.localhost, password {DEMO_PASSWORD}" in text
    assert "http://127.0.0.1:8000/accounts/login/code/" in text
    assert "one line, with its code" in text
    assert "Ctrl-C stops Peernet." in text
    assert block[-1] == "  Ctrl-C stops Peernet.", "the block ends the output"
    assert banner(address="http://[::1]:8000/").count("http://[::1]:8000/") == 2


def test_the_install_step_prints_one_line():
    """On a fresh clone `make run` installs first: one line of its own, and pip (whose index
    warnings can run to dozens of lines on some machines) says only errors."""
    recipe = run_recipe("$(VENV)/.installed")
    shown = [line for line in recipe if not line.startswith("@")]
    assert shown == [], f"make echoes these commands: {shown}"
    pips = [line for line in recipe if "pip install" in line]
    assert len(pips) == 2 and all("-qq" in line.split() for line in pips)
    # Its one line, and the error when no Python 3.12+ is found.
    assert sum(line.count("echo ") for line in recipe) == 2


def test_console_backend_prints_one_line_per_email():
    stream = io.StringIO()
    plain = EmailMessage(subject="[Peernet] A new post", body="Hello\n\nmany lines", to=["a@b.c"])
    coded = EmailMessage(subject="[Peernet] Sign-In Code", body="…\n\nABCD-1234\n", to=["d@e.f"])
    setattr(coded, CODE_ATTRIBUTE, "ABCD-1234")

    assert ConsoleBackend(stream=stream).send_messages([plain, coded]) == 2

    assert stream.getvalue().splitlines() == [
        "email to a@b.c: [Peernet] A new post",
        "email to d@e.f: [Peernet] Sign-In Code  →  code ABCD-1234",
    ]


@pytest.mark.django_db
def test_a_login_code_request_prints_one_line_with_the_code(settings):
    UserFactory(email="ana@example.org")
    stream = io.StringIO()
    settings.MAILERS = {
        "default": {"BACKEND": "peernet.mail.ConsoleBackend", "OPTIONS": {"stream": stream}}
    }

    Client().post(reverse("account_request_login_code"), {"email": "ana@example.org"})

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert CODE_LINE.match(lines[0]), lines


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "greeting", "subject"),
    [
        ("en", "Hello from Peernet!", "[Peernet] Sign-In Code"),
        ("es", "¡Hola de parte de Peernet!", "[Peernet] Código de inicio de sesión"),
    ],
)
def test_a_login_code_email_comes_from_peernet_in_the_members_language(language, greeting, subject):
    UserFactory(email="ana@example.org", language=language)

    # The page is in English; the email is in the member's own language.
    Client(HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("account_request_login_code"), {"email": "ana@example.org"}
    )

    (email,) = mail.outbox
    assert email.subject == subject
    assert email.body.startswith(greeting)
    assert "Peernet" in email.from_email
    assert "testserver" not in email.subject + email.body
    assert LOGIN_CODE_RE.search(email.body), email.body
