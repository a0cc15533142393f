"""`make screenshots`: the README's pictures of Peernet on a phone, from the demo data.

Serves the demo data as production does (scripts/demo_site.py), signs in as the demo member
Ana, and photographs the first screen of the board, a proposal and the circle home at
360 x 740 in Debian's Chromium (through Playwright), into static/img/screenshots/.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT_DIR = ROOT / "static" / "img" / "screenshots"
SHOTS = ("board", "proposal", "circle-home")
VIEWPORT = {"width": 360, "height": 740}
SCALE = 1.5
# The README is in English; Ana reads Spanish, so her language is English for the shots.
LANGUAGE = "en"
MAX_BYTES = 120 * 1024


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or os.environ.get("CHROME_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        sys.exit("ERROR: Chromium is missing: `make provision` installs Debian's chromium.")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=SCALE, help="device scale factor")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from scripts.demo_site import demo_site

    chromium = chromium_path()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    too_big = []
    with demo_site(language=LANGUAGE) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            context = browser.new_context(
                viewport=VIEWPORT,
                device_scale_factor=args.scale,
                is_mobile=True,
                has_touch=True,
                locale=LANGUAGE,
                reduced_motion="reduce",
            )
            name, _, value = site.cookie.partition("=")
            context.add_cookies([{"name": name, "value": value, "url": site.base_url}])
            page = context.new_page()
            for name in SHOTS:
                response = page.goto(site.url(name), wait_until="networkidle")
                if page.locator("html").get_attribute("lang") != LANGUAGE:
                    raise RuntimeError(f"{site.url(name)} is not in {LANGUAGE!r}")
                if response is None or response.status != 200:
                    raise RuntimeError(f"{site.url(name)} answered {response and response.status}")
                path = OUT_DIR / f"{name}.png"
                page.screenshot(path=str(path), full_page=False, animations="disabled")
                size = path.stat().st_size
                print(f"{path.relative_to(ROOT)}: {size / 1024:.0f} KB")
                if size > MAX_BYTES:
                    too_big.append(name)
        finally:
            browser.close()
    if too_big:
        print(f"WARNING: larger than {MAX_BYTES // 1024} KB: {', '.join(too_big)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
