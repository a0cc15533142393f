"""Every user-facing string has a Spanish translation, compiled and shipped."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "es" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
NOT_COPIED = shutil.ignore_patterns(".venv", ".git", "var", "staticfiles", "tests", "*.pyc", ".*")


def untranslated(po: Path) -> str:
    out = []
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(po)], capture_output=True, text=True, check=True
        )
        out.append(result.stdout)
    return "".join(out)


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    assert untranslated(CATALOGUE) == ""


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages on a copy of the project finds nothing the catalogue lacks."""
    copy = tmp_path / "project"
    shutil.copytree(BASE, copy, ignore=NOT_COPIED)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    missing = untranslated(copy / "locale" / "es" / "LC_MESSAGES" / "django.po")
    assert missing == "", f"run `make messages` and translate:\n{missing[:3000]}"


def test_compiled_catalogue_matches_the_source(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(fresh), str(CATALOGUE)], check=True)
    assert fresh.read_bytes() == COMPILED.read_bytes(), "run `make messages` to compile"


@pytest.mark.django_db
def test_pages_render_in_spanish(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    html = response.content.decode()
    assert 'lang="es"' in html
    assert "Ayuda mutua, entre pares" in html
    assert "Únete a Peernet" in html
