"""`make audit`'s arithmetic (scripts/audit.py) on small fixtures: no server, no Lighthouse."""

import gzip

from scripts.audit import (
    DECODERS,
    KIB,
    asset_kind,
    category_scores,
    costly_audits,
    css_references,
    gzip_size,
    html_references,
    median_scores,
    scores_table,
    shortfalls,
    weight_table,
)

PAGE_URL = "http://127.0.0.1:9000/c/eastside/board/"

BOARD_HTML = """<!DOCTYPE html><html lang="en"><head>
<link rel="icon" href="/static/img/favicon.1a2b.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/peernet.3c4d.css">
<link rel="canonical" href="/c/eastside/board/">
<script src="/static/js/htmx.min.5e6f.js" defer></script>
<script nonce="x">/* inline: nothing to fetch */</script>
</head><body>
<svg class="icon" aria-hidden="true"><use href="/static/img/icons.7a8b.svg#offer"></use></svg>
<svg class="icon" aria-hidden="true"><use href="/static/img/icons.7a8b.svg#need"/></svg>
<svg><use href="#local-symbol"></use></svg>
<a href="/c/eastside/posts/1/">a post</a>
<img src="avatar.png" alt="">
</body></html>"""

CSS = """
/* url(/static/commented-out.woff2) */
@import "print.css";
@font-face { font-family: Body; src: url('../fonts/body.9c0d.woff2') format("woff2"); }
.check { background: url(data:image/svg+xml;base64,AAAA) no-repeat; }
.mark { mask: url( "/static/img/icons.7a8b.svg#tick" ); }
"""


def report(performance, accessibility, best_practices, seo):
    return {
        "categories": {
            "performance": {"score": performance},
            "accessibility": {"score": accessibility},
            "best-practices": {"score": best_practices},
            "seo": {"score": seo},
        }
    }


def test_scores_are_out_of_100_and_a_missing_score_counts_as_missed():
    scores = category_scores(report(0.934, 1, 0.96, None))
    assert scores == {"performance": 93, "accessibility": 100, "best-practices": 96, "seo": None}
    assert shortfalls(scores) == ["performance", "seo"]
    assert (
        shortfalls({"performance": 95, "accessibility": 95, "best-practices": 99, "seo": 100}) == []
    )


def test_each_category_takes_the_median_run_and_never_rounds_up_on_an_even_count():
    runs = [
        category_scores(report(0.99, 1, 1, 1)),
        category_scores(report(0.80, 1, 1, 0.9)),
        category_scores(report(0.96, 1, 1, None)),
    ]
    assert median_scores(runs) == {
        "performance": 96,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 90,  # the lower middle of the two runs that scored it
    }
    table = scores_table([("board /c/eastside/board/", median_scores(runs))])
    assert table.splitlines()[1].split() == [
        "board",
        "/c/eastside/board/",
        "96",
        "100",
        "100",
        "90",
    ]


def test_the_audits_that_cost_points_are_the_weighted_ones_that_did_not_pass():
    lighthouse = {
        "categories": {
            "seo": {
                "score": 0.9,
                "auditRefs": [
                    {"id": "meta-description", "weight": 1},
                    {"id": "document-title", "weight": 1},
                    {"id": "structured-data", "weight": 0},
                ],
            }
        },
        "audits": {
            "meta-description": {"score": 0, "title": "Document does not have a meta description"},
            "document-title": {"score": 1, "title": "Document has a <title> element"},
            "structured-data": {"score": 0, "title": "Structured data is valid"},
        },
    }
    assert costly_audits(lighthouse, "seo") == [
        "meta-description (score 0.00, weight 1): Document does not have a meta description"
    ]


def test_a_page_references_its_css_scripts_icons_and_images_once_each():
    assert html_references(BOARD_HTML, PAGE_URL) == [
        "http://127.0.0.1:9000/static/img/favicon.1a2b.svg",
        "http://127.0.0.1:9000/static/css/peernet.3c4d.css",
        "http://127.0.0.1:9000/static/js/htmx.min.5e6f.js",
        "http://127.0.0.1:9000/static/img/icons.7a8b.svg",
        "http://127.0.0.1:9000/c/eastside/board/avatar.png",
    ]


def test_a_stylesheet_references_its_fonts_imports_and_icons_but_not_data_or_comments():
    css_url = "http://127.0.0.1:9000/static/css/peernet.3c4d.css"
    assert css_references(CSS, css_url) == [
        "http://127.0.0.1:9000/static/css/print.css",
        "http://127.0.0.1:9000/static/fonts/body.9c0d.woff2",
        "http://127.0.0.1:9000/static/img/icons.7a8b.svg",
    ]
    assert [asset_kind(u) for u in ("/a.css", "/b.js", "/c.woff2", "/d.svg#x", "/e.png")] == [
        "css",
        "js",
        "font",
        "icon",
        "image",
    ]


def test_the_html_counts_gzipped_and_the_total_is_judged_against_60_kb():
    body = b"<li class='post'>A ride to the clinic on Tuesday</li>\n" * 200
    assert gzip_size(body) == len(gzip.compress(body, compresslevel=6, mtime=0))
    assert gzip_size(body) < len(body) / 10

    rows = [("html", "/c/eastside/board/", 6 * KIB), ("css", "/static/css/p.css (gzip)", 54 * KIB)]
    assert weight_table(rows).splitlines()[-1].split() == [
        "total", "60.0", "KB", "of", "at", "most", "60", "KB:", "ok"
    ]  # fmt: skip
    rows.append(("font", "/static/fonts/body.woff2", 1))
    assert weight_table(rows).endswith("OVER THE LIMIT")


def test_a_stylesheet_is_read_in_each_encoding_whitenoise_sends():
    import brotli

    css = b"body { color: #0d5c58 }"
    encoded = {"": css, "gzip": gzip.compress(css), "br": brotli.compress(css)}
    for encoding, body in encoded.items():
        assert DECODERS[encoding](body) == css
