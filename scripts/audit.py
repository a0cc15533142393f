"""`make audit`: Lighthouse scores of Peernet's main pages, and the compressed weight of a board.

Serves the demo data as production does (scripts/demo_site.py: gunicorn, DEBUG off, WhiteNoise's
compressed static files) and then:

1. runs Lighthouse (the npm package, pinned below, installed into var/tools/lighthouse) in
   Debian's Chromium with its defaults: mobile emulation and simulated throttling. Each page
   runs RUNS times and each category's median counts, because the performance score moves
   with the machine's load. The landing page is seen as a visitor; the board, a proposal and
   the circle home as the demo member Ana (her session cookie goes with every request). Each
   score must be at least MIN_SCORE. The reports of each page's median run are written to
   var/audit/ (open the .html ones in a browser).
2. sums the bytes a browser transfers for a board page: the HTML gzipped as a proxy would,
   plus every stylesheet, script, font and icon it references (directly, or from the CSS)
   as WhiteNoise serves them to a browser that accepts gzip and Brotli. At most WEIGHT_LIMIT.

Exits 1 when a goal is missed, 2 when something needed is missing.
"""

# ruff: noqa: S603, S310
import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import brotli

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LIGHTHOUSE_VERSION = "12.8.2"  # the last 12.x; Lighthouse 13 needs Node 22
NODE_MIN = (18, 16)
TOOLS_DIR = ROOT / "var" / "tools" / "lighthouse"
REPORTS_DIR = ROOT / "var" / "audit"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORE = 95
RUNS = 3
RUN_ATTEMPTS = 3
PAGES = ("landing", "board", "proposal", "circle-home")
# Pages seen as a visitor; the others as the signed-in demo member.
VISITOR_PAGES = {"landing"}
KIB = 1024
WEIGHT_LIMIT = 60 * KIB
# What a proxy such as nginx or Caddy typically does to HTML: gzip at level 6.
HTML_GZIP_LEVEL = 6
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
LIGHTHOUSE_TIMEOUT_S = 180


class SetupError(Exception):
    """Something the audit needs is missing from this machine."""


class RunFailed(RuntimeError):
    """Lighthouse reported a runtime error of its own (such as NO_NAVSTART, a trace it
    failed to record); a new run usually succeeds, so a page is tried RUN_ATTEMPTS times."""


# --- Scores -------------------------------------------------------------------------------


def category_scores(report: dict) -> dict[str, int | None]:
    """Each category's score out of 100 from a Lighthouse JSON report (None: no score)."""
    scores = {}
    for name in CATEGORIES:
        score = report.get("categories", {}).get(name, {}).get("score")
        scores[name] = None if score is None else round(score * 100)
    return scores


def median_scores(runs: list[dict[str, int | None]]) -> dict[str, int | None]:
    """Per category, the median of the runs that scored it (the lower middle one for an even
    count, so an even number of runs never rounds a page up)."""
    medians = {}
    for name in CATEGORIES:
        values = [run[name] for run in runs if run.get(name) is not None]
        medians[name] = statistics.median_low(values) if values else None
    return medians


def shortfalls(scores: dict[str, int | None], minimum: int = MIN_SCORE) -> list[str]:
    """The categories below the minimum; a category without a score is one."""
    return [name for name in CATEGORIES if scores.get(name) is None or scores[name] < minimum]


def costly_audits(report: dict, category: str) -> list[str]:
    """The weighted audits of a category that did not pass, as lines for a person."""
    audits = report.get("audits", {})
    lines = []
    for ref in report.get("categories", {}).get(category, {}).get("auditRefs", []):
        audit = audits.get(ref["id"], {})
        score = audit.get("score")
        if ref.get("weight", 0) <= 0 or score is None or score >= 1:
            continue
        shown = audit.get("displayValue", "")
        lines.append(
            f"{ref['id']} (score {score:.2f}, weight {ref['weight']}): {audit.get('title', '')}"
            + (f" - {shown}" if shown else "")
        )
    return lines


def scores_table(rows: list[tuple[str, dict[str, int | None]]]) -> str:
    width = max([len("page"), *(len(label) for label, _ in rows)])
    lines = ["  ".join([f"{'page':<{width}}", *(f"{name:>14}" for name in CATEGORIES)])]
    for label, scores in rows:
        cells = ["-" if scores.get(n) is None else str(scores[n]) for n in CATEGORIES]
        lines.append("  ".join([f"{label:<{width}}", *(f"{cell:>14}" for cell in cells)]))
    return "\n".join(lines)


# --- Weight -------------------------------------------------------------------------------


class _References(HTMLParser):
    """Stylesheets, scripts, icons and images an HTML page makes the browser fetch."""

    FETCHED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "apple-touch-icon"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            rels = set((attrs.get("rel") or "").lower().split())
            if rels & self.FETCHED_LINKS and attrs.get("href"):
                self.urls.append(attrs["href"])
        elif tag in {"script", "img", "source"} and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "use":
            href = attrs.get("href") or attrs.get("xlink:href")
            if href and not href.startswith("#"):
                self.urls.append(href)

    handle_startendtag = handle_starttag


def _unique(urls) -> list[str]:
    seen: dict[str, None] = {}
    for url in urls:
        seen.setdefault(urldefrag(url).url, None)
    return list(seen)


def html_references(html: str, page_url: str) -> list[str]:
    """Absolute URLs (without #fragments, each once) an HTML page references."""
    parser = _References()
    parser.feed(html)
    return _unique(urljoin(page_url, url) for url in parser.urls)


CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


def css_references(css: str, css_url: str) -> list[str]:
    """Absolute URLs of the fonts, images and imports a stylesheet references (not data:)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = (match.group(2) or match.group(4) for match in CSS_URL.finditer(css))
    return _unique(urljoin(css_url, url.strip()) for url in found if not url.startswith("data:"))


def asset_kind(url: str) -> str:
    suffix = Path(urlsplit(url).path).suffix.lower()
    return {
        ".css": "css",
        ".js": "js",
        ".mjs": "js",
        ".woff2": "font",
        ".woff": "font",
        ".ttf": "font",
        ".otf": "font",
        ".svg": "icon",
        ".png": "image",
        ".ico": "icon",
        ".webp": "image",
        ".jpg": "image",
        ".jpeg": "image",
    }.get(suffix, "other")


def gzip_size(body: bytes, level: int = HTML_GZIP_LEVEL) -> int:
    return len(gzip.compress(body, compresslevel=level, mtime=0))


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and the body exactly as transferred (not decoded)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw_headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, raw_headers, body = error.code, error.headers, error.read()
    return status, {k.lower(): v for k, v in raw_headers.items()}, body


# How to read a stylesheet as WhiteNoise sends it (with the brotli package, .br comes first).
DECODERS = {"": bytes, "gzip": gzip.decompress, "br": brotli.decompress}


def page_weight(page_url: str, cookie: str) -> list[tuple[str, str, int]]:
    """(kind, path, compressed bytes) of a page and everything it loads; raises on a miss."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page_url))
    status, headers, body = fetch(page_url, {"Cookie": cookie, "Accept-Encoding": "identity"})
    if status != 200:
        raise RuntimeError(f"{page_url} answered {status}")
    encoded = bool(headers.get("content-encoding"))
    rows = [("html", urlsplit(page_url).path, len(body) if encoded else gzip_size(body))]
    pending = html_references(body.decode("utf-8", "replace"), page_url)
    done: set[str] = set()
    while pending:
        url = pending.pop(0)
        if url in done:
            continue
        done.add(url)
        if not url.startswith(origin + "/"):
            raise RuntimeError(f"the page loads {url} from another origin")
        status, headers, body = fetch(url, {"Cookie": cookie, "Accept-Encoding": "gzip, br"})
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        kind = asset_kind(url)
        encoding = headers.get("content-encoding", "")
        rows.append((kind, urlsplit(url).path + (f" ({encoding})" if encoding else ""), len(body)))
        if kind == "css":
            if encoding not in DECODERS:
                raise RuntimeError(f"cannot read {url} sent as {encoding}")
            raw = DECODERS[encoding](body)
            pending.extend(css_references(raw.decode("utf-8", "replace"), url))
    return rows


def weight_table(rows: list[tuple[str, str, int]], limit: int = WEIGHT_LIMIT) -> str:
    total = sum(size for _, _, size in rows)
    lines = [f"{kind:<6} {size / KIB:7.1f} KB  {path}" for kind, path, size in rows]
    verdict = "ok" if total <= limit else "OVER THE LIMIT"
    lines.append(f"{'total':<6} {total / KIB:7.1f} KB  of at most {limit / KIB:.0f} KB: {verdict}")
    return "\n".join(lines)


# --- Tools --------------------------------------------------------------------------------


def chrome_path() -> str:
    path = (
        os.environ.get("CHROME_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        raise SetupError(
            "Chromium is missing: `make provision` installs Debian's chromium, or set CHROME_PATH."
        )
    return path


def lighthouse_bin() -> Path:
    """Lighthouse LIGHTHOUSE_VERSION under var/tools/, installed with npm when missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise SetupError(
            "Lighthouse needs Node.js (18.16 or newer) and npm: "
            "apt-get install nodejs npm, then run `make audit` again."
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    found = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
    if found < NODE_MIN:
        raise SetupError(f"Lighthouse {LIGHTHOUSE_VERSION} needs Node.js 18.16+, found {version}")
    package = TOOLS_DIR / "node_modules" / "lighthouse" / "package.json"
    installed = json.loads(package.read_text()).get("version") if package.exists() else None
    if installed != LIGHTHOUSE_VERSION:
        print(
            f"audit: installing lighthouse@{LIGHTHOUSE_VERSION} into {TOOLS_DIR.relative_to(ROOT)}"
        )
        TOOLS_DIR.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [
                *(npm, "install", "--prefix", str(TOOLS_DIR), "--no-audit", "--no-fund"),
                *("--save-exact", "--loglevel=error", f"lighthouse@{LIGHTHOUSE_VERSION}"),
            ],
            cwd=TOOLS_DIR,
        )
        if result.returncode != 0:
            raise SetupError(f"npm install lighthouse@{LIGHTHOUSE_VERSION} failed")
    return TOOLS_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"


def run_lighthouse(cli: Path, chrome: str, url: str, cookie: str | None, out: Path) -> dict:
    """One Lighthouse run with its defaults (mobile, simulated throttling); the JSON report.
    Writes out.report.json and out.report.html."""
    command = [
        shutil.which("node") or "node",
        str(cli),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": chrome},
        capture_output=True,
        text=True,
        timeout=LIGHTHOUSE_TIMEOUT_S,
    )
    report_file = out.with_name(out.name + ".report.json")
    if result.returncode != 0 or not report_file.exists():
        failure = RunFailed if "Runtime error encountered" in result.stderr else RuntimeError
        raise failure(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(report_file.read_text())
    if report.get("runtimeError"):
        raise RunFailed(f"Lighthouse on {url}: {report['runtimeError'].get('message')}")
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", "")
    if urlsplit(final).path != urlsplit(url).path:
        raise RuntimeError(f"Lighthouse asked for {url} but was sent to {final}")
    return report


def audit_page(cli, chrome, site, page: str, runs: int) -> tuple[dict, dict]:
    """The median scores of a page over `runs` runs, and the report of its median run."""
    cookie = None if page in VISITOR_PAGES else site.cookie
    reports = []
    for n in range(runs):
        out = REPORTS_DIR / f"{page}-run{n + 1}"
        for attempt in range(1, RUN_ATTEMPTS + 1):
            try:
                reports.append(run_lighthouse(cli, chrome, site.url(page), cookie, out))
                break
            except RunFailed as error:
                if attempt == RUN_ATTEMPTS:
                    raise
                print(f"  {page}: {error}; running it again")
    scores = [category_scores(report) for report in reports]
    medians = median_scores(scores)
    # The run whose performance is the median one is the report to read.
    ranked = sorted(range(runs), key=lambda i: scores[i]["performance"] or 0)
    median_run = ranked[(runs - 1) // 2]
    for suffix in ("json", "html"):
        source = REPORTS_DIR / f"{page}-run{median_run + 1}.report.{suffix}"
        shutil.copyfile(source, REPORTS_DIR / f"{page}.report.{suffix}")
    return medians, reports[median_run]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS, help=f"runs per page (default {RUNS})")
    parser.add_argument(
        "--pages", default=",".join(PAGES), help=f"comma-separated, of {', '.join(PAGES)}"
    )
    parser.add_argument("--skip-lighthouse", action="store_true", help="only the board's weight")
    args = parser.parse_args()
    pages = [p for p in args.pages.split(",") if p]
    if unknown := set(pages) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    try:
        chrome = chrome_path()
        cli = None if args.skip_lighthouse else lighthouse_bin()
    except SetupError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2

    try:
        missed = measure(args, pages, chrome, cli)
    except (RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 1
    if missed:
        print(f"\nFAILED (each score at least {MIN_SCORE}, weight at most 60 KB):", file=sys.stderr)
        print("\n".join(f"  {line}" for line in missed), file=sys.stderr)
        return 1
    print(f"\nAll scores at least {MIN_SCORE}; the board weighs at most 60 KB.")
    return 0


def measure(args, pages: list[str], chrome: str, cli: Path | None) -> list[str]:
    """Serve the demo site, print the scores and the weight; what missed its goal."""
    from scripts.demo_site import WORKERS, demo_site

    missed = []
    with demo_site() as site:
        # Each gunicorn worker renders each page once first: templates compiled, caches warm.
        for page in pages:
            for _ in range(WORKERS):
                fetch(site.url(page), {} if page in VISITOR_PAGES else {"Cookie": site.cookie})
        if cli:
            REPORTS_DIR.mkdir(parents=True, exist_ok=True)
            chromium = subprocess.run([chrome, "--version"], capture_output=True, text=True)
            print(
                f"\nLighthouse {LIGHTHOUSE_VERSION} in {chromium.stdout.strip() or chrome}: "
                f"mobile emulation, simulated throttling; each score is the median of "
                f"{args.runs} run(s). Landing page as a visitor, the others signed in as Ana."
            )
            rows, notes = [], []
            for page in pages:
                scores, report = audit_page(cli, chrome, site, page, args.runs)
                label = f"{page} {site.pages[page]}"
                rows.append((label, scores))
                for category in CATEGORIES:
                    if scores[category] is None or scores[category] < 100:
                        notes += [
                            f"  {page} · {category}: {line}"
                            for line in costly_audits(report, category)
                        ]
                missed += [f"{page}: {name} {scores[name]}" for name in shortfalls(scores)]
                print(f"  {label}: done", flush=True)
            print()
            print(scores_table(rows))
            if notes:
                print("\nWhat cost points (median run; full reports in var/audit/*.report.html):")
                print("\n".join(notes))

        rows = page_weight(site.url("board"), site.cookie)
        total = sum(size for _, _, size in rows)
        print(
            f"\nCompressed weight of the board {site.pages['board']} (HTML gzip -{HTML_GZIP_LEVEL}"
            ", static files as WhiteNoise sends them for Accept-Encoding: gzip, br; body bytes):"
        )
        print(weight_table(rows))
        if total > WEIGHT_LIMIT:
            missed.append(f"board weight {total / KIB:.1f} KB > {WEIGHT_LIMIT / KIB:.0f} KB")
    return missed


if __name__ == "__main__":
    sys.exit(main())
