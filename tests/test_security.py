"""Every response carries a strict Content Security Policy; pages use nonces, not inline code."""

import re

import pytest
from django.urls import get_resolver

UNSAFE = ("'unsafe-inline'", "'unsafe-eval'")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def parameterless_urls() -> list[str]:
    """Every named URL that takes no argument, allauth's pages included."""
    urls = set()
    for _name, entries in get_resolver().reverse_dict.lists():
        for possibilities, _pattern, _defaults, _converters in entries:
            for template, params in possibilities:
                if not params and "admin" not in template:
                    urls.add("/" + template)
    return sorted(urls)


def assert_strict_csp(response, url):
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, f"{url}: no CSP header"
    for word in UNSAFE:
        assert word not in policy, f"{url}: {word} in CSP"
    assert "frame-ancestors 'none'" in policy


def assert_no_inline_code(response, url):
    if "text/html" not in response.headers.get("Content-Type", ""):
        return
    html = response.content.decode()
    scripts = SCRIPT_TAG.findall(html)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce or not scripts, f"{url}: scripts but no nonce in the CSP"
    for tag in scripts:
        # Same-origin files are allowed by 'self', JSON data blocks never run;
        # any other inline script needs this response's nonce.
        if " src=" not in tag and 'type="application/json"' not in tag:
            assert f'nonce="{nonce.group(1)}"' in tag, f"{url}: inline script without nonce: {tag}"
    assert not INLINE_HANDLER.search(html), f"{url}: inline event handler"
    assert not INLINE_STYLE.search(html), f"{url}: inline style attribute"


def test_there_are_pages_to_check():
    urls = parameterless_urls()
    assert "/" in urls
    assert "/accounts/signup/" in urls


@pytest.mark.django_db
def test_pages_with_scripts_carry_a_nonce(client):
    response = client.get("/")
    assert "'nonce-" in response.headers["Content-Security-Policy"]
    assert SCRIPT_TAG.findall(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_every_page_has_a_strict_csp_and_no_inline_code(client, user, signed_in):
    if signed_in:
        client.force_login(user)
    for url in parameterless_urls():
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        assert_strict_csp(response, url)
        assert_no_inline_code(response, url)


@pytest.mark.django_db
def test_error_pages_and_healthz_carry_the_csp_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_strict_csp(response, "/no-such-page/")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_strict_csp(response, "/healthz")


@pytest.mark.django_db
def test_healthz_makes_no_database_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert response.content == b"ok"
