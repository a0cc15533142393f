"""Every list's page links lead to the next page (includes/pagination.html): Django 6's
{% querystring %} writes its own "?", so a link once read "??page=2" and led back to page 1."""

import re

import pytest
from django.urls import reverse

from circles import constants
from tests.factories import CircleFactory

pytestmark = pytest.mark.django_db


def test_the_directory_next_link_opens_page_two(client):
    CircleFactory.create_batch(constants.DIRECTORY_PAGE_SIZE + 1, topics="gardening")
    first = client.get(reverse("circles:directory"), {"q": "Circle"}).content.decode()
    (href,) = re.findall(r'<a href="([^"]*)" rel="next">', first)
    assert href == "?q=Circle&amp;page=2"
    second = client.get(reverse("circles:directory") + href.replace("&amp;", "&"))
    body = second.content.decode()
    assert "Page 2 of 2" in body
    assert 'rel="prev"' in body and 'rel="next"' not in body
