"""Spanish speaks to people as "tú" everywhere: Peernet's own pages, allauth's account pages
and messages, Django's form errors and the account emails (peernet/locale_overrides/)."""

import gettext
import html
import re
import subprocess
from pathlib import Path

import allauth
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from peernet.members.demo import DEMO_PASSWORD
from peernet.members.models import User
from tests import test_crawl
from tests.factories import UserFactory
from tests.test_crawl import Crawl

pytestmark = pytest.mark.django_db

# Forms that address the reader as "usted". Each is wrong in a "tú" text, whoever says it; "su"
# alone is not a marker: "Bo borró su cuenta" (their account) is right in either register.
USTED_MARKERS = [
    r"\busted(es)?\b",
    r"\bIngrese\b",
    r"\bIntroduzca\b",
    r"\bIntrodúzcalo\b",
    r"\bEscriba\b",
    r"\bSolicite\b",
    r"\bInicie\b",
    r"\bRegístrese\b",
    r"\bVerifique\b",
    r"\bconfirme\b",
    r"\bHaga clic\b",
    r"\bque desea\b",
    r"\bOlvidó\b",
    r"\bHa olvidado\b",
    r"\bInténtelo\b",
    r"\bAsegúrese\b",
    r"\bEscoja\b",
    r"\bUtilice\b",
    r"\bcontáctenos\b",
    r"\bpóngase\b",
    r"\bRecibirá\b",
    r"\bLe hemos\b",
    r"\bHa (iniciado|cerrado) sesión\b",
    r"\bsu (cuenta|correo|contraseña|dirección)\b",
]
# "su cuenta" that is someone else's (or nobody's) account, right in a "tú" text.
THIRD_PERSON = re.compile(r"\b(borró|eliminó|por) su cuenta\b", re.IGNORECASE)
USTED = re.compile("|".join(USTED_MARKERS), re.IGNORECASE)
NOT_TEXT = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
SPANISH = "es"


def usted_forms(text: str) -> list[str]:
    text = THIRD_PERSON.sub("", html.unescape(NOT_TEXT.sub("", text)))
    found = []
    for match in USTED.finditer(text):
        start = max(match.start() - 40, 0)
        found.append(" ".join(text[start : match.end() + 40].split()))
    return found


class RecordingClient(Client):
    """A client that keeps every HTML page it was given."""

    def __init__(self, **kwargs):
        super().__init__(raise_request_exception=False, **kwargs)
        self.pages: list[tuple[str, str]] = []  # (method and path, HTML)

    def request(self, **request):
        response = super().request(**request)
        if response.get("Content-Type", "").startswith("text/html"):
            path = request.get("PATH_INFO", "")
            self.pages.append((f"{request['REQUEST_METHOD']} {path}", response.content.decode()))
        return response


def spanish_client() -> RecordingClient:
    client = RecordingClient(HTTP_ACCEPT_LANGUAGE=SPANISH)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = SPANISH
    return client


def problems(pages: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: …{found}…" for where, text in pages for found in usted_forms(text)]


def pages_at(client: RecordingClient, where: str) -> list[str]:
    """The pages client was given at where ("GET /path/"), in order."""
    return [text for seen, text in client.pages if seen == where]


OVERRIDES = Path(settings.BASE_DIR) / "peernet" / "locale_overrides" / "es" / "LC_MESSAGES"


def test_the_override_catalogue_is_compiled_and_in_locale_paths(tmp_path):
    fresh = tmp_path / "django.mo"
    source = OVERRIDES / "django.po"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(source)], check=True)
    assert fresh.read_bytes() == (OVERRIDES / "django.mo").read_bytes(), "run `make messages`"
    assert OVERRIDES.parent.parent in map(Path, settings.LOCALE_PATHS)


def test_the_markers_catch_allauths_and_djangos_own_spanish():
    """Without the override catalogue these strings say "usted"; the markers see it."""
    allauth_es = gettext.translation(
        "django", Path(allauth.__file__).parent / "locale", languages=[SPANISH]
    )
    for msgid in [
        "Request Code",
        "Enter Sign-In Code",
        "Forgot your password?",
        "Please Confirm Your Email Address",
        "Are you sure you want to sign out?",
        "Successfully signed in as %(name)s.",
    ]:
        assert usted_forms(allauth_es.gettext(msgid)), msgid
    assert not usted_forms("Bo borró su cuenta. Escribe tu correo y confirma tu contraseña.")


def test_no_page_a_visitor_or_member_reaches_says_usted(monkeypatch):
    call_command("seed_demo", force=True)
    ana = User.objects.get(email="ana@demo.peernet.localhost")
    assert ana.language == SPANISH
    monkeypatch.setattr(test_crawl, "VISITS_PER_ROUTE", 1)

    # Every page reachable by links, as a Spanish visitor and as Ana (who reads Spanish).
    anonymous = spanish_client()
    Crawl(anonymous, "anonymous").follow_links("/")
    member = spanish_client()
    member.force_login(ana)
    Crawl(member, ana.email).follow_links("/")
    crawled = len(anonymous.pages) + len(member.pages)

    # allauth's pages, their errors and messages.
    visitor = spanish_client()
    visitor.get(reverse("account_login"))
    visitor.post(reverse("account_login"), {"login": ana.email, "password": "wrong"})
    visitor.get(reverse("account_request_login_code"))
    visitor.post(reverse("account_request_login_code"), {"email": ana.email}, follow=True)
    visitor.post(reverse("account_confirm_login_code"), {"code": "WRONG-CODE"})
    visitor.get(reverse("account_reset_password"))
    visitor.post(reverse("account_reset_password"), {"email": ana.email}, follow=True)
    visitor.get(reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "x"}))
    visitor.get(reverse("account_inactive"))
    newcomer = spanish_client()
    newcomer.get(reverse("account_signup"))
    newcomer.post(reverse("account_signup"), {"email": "not an address", "display_name": "N"})
    newcomer.post(
        reverse("account_signup"),
        {"email": "nueva@example.org", "display_name": "Nueva"},
        follow=True,
    )
    signed_in = spanish_client()
    signed_in.post(
        reverse("account_login"), {"login": ana.email, "password": DEMO_PASSWORD}, follow=True
    )
    for name in ["account_email", "account_change_password", "account_reauthenticate"]:
        signed_in.get(reverse(name))
    signed_in.get(reverse("account_logout"))
    signed_in.post(reverse("account_logout"), follow=True)
    no_password = spanish_client()  # a member who never chose a password
    no_password.force_login(UserFactory(language=SPANISH))
    no_password.get(reverse("account_set_password"))
    flows = [visitor, newcomer, signed_in, no_password]
    pages = [*anonymous.pages, *member.pages, *(page for c in flows for page in c.pages)]

    # The flows reached what they should, in Spanish (so a pass is not an English page).
    signed_in_home, signed_out_home = pages_at(signed_in, "GET /")
    assert "Has entrado como Ana." in signed_in_home
    assert "Has cerrado sesión." in signed_out_home
    assert (
        "Escribe el código para entrar" in pages_at(visitor, "GET /accounts/login/code/confirm/")[0]
    )
    assert "Pedir el código" in pages_at(visitor, "GET /accounts/login/code/")[0]
    assert "Tu contraseña debe tener al menos" in no_password.pages[-1][1]
    assert crawled > 30, crawled
    assert not problems(pages), "usted in Spanish pages:\n" + "\n".join(problems(pages))

    # The emails those flows sent: a login code, a password reset, an address to confirm.
    sent = [(m.subject, f"{m.subject}\n{m.body}") for m in mail.outbox]
    assert len(sent) >= 3, list(sent)
    assert not problems(sent), "usted in Spanish emails:\n" + "\n".join(problems(sent))
