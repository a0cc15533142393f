"""The widgets rendered in Python (peernet/forms.py) say what Django's own templates say."""

from html.parser import HTMLParser

import pytest
from django import forms

from peernet.forms import PlainSelect, PlainTextInput

CHOICES = [("", "Any"), ("food", "Food & drink"), ('x"y', 'Quote " <b>')]


class Parsed(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags = []
        self.text = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.text.append(data.strip())


def same_html(ours: str, django: str) -> None:
    a, b = Parsed(ours), Parsed(django)
    assert a.tags == b.tags
    assert a.text == b.text


@pytest.mark.parametrize("value", ["", "food", 'x"y', "not-a-choice", None])
def test_the_select_matches_djangos(value):
    attrs = {"id": "id_category", "aria-invalid": "true", "required": True, "disabled": False}
    ours = PlainSelect(choices=CHOICES).render("category", value, attrs)
    django = forms.Select(choices=CHOICES).render("category", value, attrs)
    same_html(ours, django)
    assert "<b>" not in ours


@pytest.mark.parametrize("value", ["", "soup", '"><script>alert(1)</script>', None])
def test_the_text_input_matches_djangos(value):
    attrs = {"id": "id_q", "maxlength": 100, "required": False}
    ours = PlainTextInput().render("q", value, attrs)
    django = forms.TextInput().render("q", value, attrs)
    same_html(ours, django)
    assert "<script>" not in ours
