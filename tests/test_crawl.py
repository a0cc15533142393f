"""Smoke test: on the demo data, no page anyone can reach by following links is a server error.

Anonymous and each demo member start from the landing page and follow every same-site link
breadth first; members also open each kind of proposal form in each of their circles, as a
link may not reach every kind. It only GETs, and a GET must change nothing: the crawl also
fails on a page that writes to the database (beyond rows of default settings).
"""

from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from circles.selectors import circles_of_user
from governance.models import DecisionSettings, ProposalKind
from peernet.members.models import NotificationSettings, Profile, User

START = "/"
# Files, the admin (for staff), the language switch and logout (both POST forms).
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/logout/")
# Enough to meet each kind of page a few times (a draft, an open, a closed proposal...) while
# keeping the crawl fast: listings, pagination and filters multiply URLs, not kinds of pages.
VISITS_PER_ROUTE = 3
# Writes a GET may make: rows of settings created with their defaults on first read
# (get_or_create in the selectors), which change nothing a person sees.
DEFAULTS_CREATED_ON_READ = (Profile, NotificationSettings, DecisionSettings)
# And the reader's own read state: opening a conversation marks read what told of it.
READ_STATE_ON_READ = ('UPDATE "notify_notification" SET "read_at" = ',)


class LinkParser(HTMLParser):
    """Where a page's links and GET forms lead."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.targets.append(attrs["href"])
        elif tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self.targets.append(attrs.get("action") or "")


def same_site_path(base: str, target: str) -> str | None:
    """target as a path with query on this site, or None for another site or scheme."""
    parts = urlsplit(urljoin(f"http://testserver{base}", target.strip()))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def route_of(url: str) -> str:
    try:
        return resolve(urlsplit(url).path).route
    except Resolver404:
        return "<no route>"


def writes(queries: list[dict]) -> list[str]:
    """The statements among queries that change the database, less the allowed ones."""
    allowed = (
        *(f'INSERT INTO "{m._meta.db_table}" ' for m in DEFAULTS_CREATED_ON_READ),
        *READ_STATE_ON_READ,
    )
    found = []
    for query in queries:
        sql = query["sql"].lstrip()
        verb = sql.split(" ", 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE"} and not sql.startswith(allowed):
            found.append(sql[:120])
    return found


class Crawl:
    def __init__(self, client: Client, visitor: str):
        self.client = client
        self.visitor = visitor
        self.seen: set[str] = set()  # queued or visited
        self.visited: set[str] = set()
        self.per_route: Counter[str] = Counter()
        self.errors: list[str] = []
        self.writes: list[str] = []

    def fetch(self, url: str) -> list[str]:
        """Visit url; where its links lead."""
        self.visited.add(url)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        if response.status_code >= 500:
            self.errors.append(f"{self.visitor}: GET {url} -> {response.status_code}")
        if found := writes(ctx.captured_queries):
            self.writes.append(f"{self.visitor}: GET {url} wrote {found}")
        if response.status_code in (301, 302, 303, 307, 308):
            return [response["Location"]]
        if not response.get("Content-Type", "").startswith("text/html"):
            return []
        parser = LinkParser()
        parser.feed(response.content.decode())
        return parser.targets

    def follow_links(self, start: str) -> None:
        queue = deque([start])
        self.seen.add(start)
        while queue:
            url = queue.popleft()
            route = route_of(url)
            if self.per_route[route] >= VISITS_PER_ROUTE:
                continue
            self.per_route[route] += 1
            for target in self.fetch(url):
                path = same_site_path(url, target)
                if path is not None and path not in self.seen:
                    self.seen.add(path)
                    queue.append(path)

    def visit_all(self, urls: list[str]) -> None:
        """Visit each of urls, whatever the per-route cap."""
        for url in urls:
            if url not in self.visited:
                self.fetch(url)


def proposal_forms_of(user: User) -> list[str]:
    return [
        f"{reverse('governance:proposal_new', args=[circle.slug])}?kind={kind}"
        for circle in circles_of_user(user=user)
        for kind in ProposalKind.values
    ]


@pytest.mark.django_db
def test_no_reachable_page_is_a_server_error():
    call_command("seed_demo", force=True)
    members = list(User.objects.filter(is_active=True).order_by("pk"))
    assert members, "seed_demo made no members"

    crawls = []
    for member in [None, *members]:
        client = Client(raise_request_exception=False)
        if member is not None:
            client.force_login(member)
        crawl = Crawl(client, "anonymous" if member is None else member.email)
        crawl.follow_links(START)
        if member is not None:
            crawl.visit_all(proposal_forms_of(member))
        crawls.append(crawl)

    visits = sum(len(c.visited) for c in crawls)
    errors = [e for c in crawls for e in c.errors]
    state_changes = [w for c in crawls for w in c.writes]
    print(f"\ncrawled {visits} pages as {len(crawls)} visitors")
    assert not errors, f"{len(errors)} server errors:\n" + "\n".join(errors)
    assert not state_changes, "GETs that changed the database:\n" + "\n".join(state_changes)
    # The crawl reached the pages members use, not just the landing page.
    reached = {route for c in crawls for route in c.per_route}
    assert {"c/<slug:slug>/board/", "c/<slug:slug>/proposals/<id:pk>/"} <= reached, reached
