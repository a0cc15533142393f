"""`make run`'s web server: Django's development server, announced by one block that says
where Peernet is, how to log in as a demo member and where login codes appear."""

from django.core.management import get_commands, load_command_class

from peernet.members.demo import DEMO_DOMAIN, DEMO_PASSWORD

# Whichever runserver is installed (whitenoise's wraps Django's), so static files work the same.
RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))

DEMO_LOGIN = f"ana@{DEMO_DOMAIN}"
OTHER_DEMO_MEMBERS = f"bo@, chen@ and eli@{DEMO_DOMAIN}"
LOGIN_CODE_PATH = "accounts/login/code/"


def banner(*, address: str) -> str:
    """The block the terminal ends with; address is like http://127.0.0.1:8000/."""
    return "\n".join(
        [
            "",
            f"  Peernet is running at {address}",
            "",
            f"  Demo login: {DEMO_LOGIN}, password {DEMO_PASSWORD}",
            f"  (Ana reads Spanish. {OTHER_DEMO_MEMBERS} take the same password.)",
            f"  Or ask for a login code at {address}{LOGIN_CODE_PATH}",
            "  Every email Peernet sends shows here as one line, with its code.",
            "",
            "  Ctrl-C stops Peernet.",
            "",
        ]
    )


class Command(RunserverCommand):
    help = "Serve Peernet for `make run`: runserver, with one block saying how to log in."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # `make run` has just run migrate, which runs the system checks.
        parser.set_defaults(skip_checks=True)

    def on_bind(self, server_port):
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        self.stdout.write(banner(address=f"{self.protocol}://{host}:{server_port}/"))
