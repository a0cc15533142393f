"""The network board: who may open it, what it lists, how it names circles and authors."""

import pytest
from django.urls import reverse

from circles.models import PostStatus
from governance.networks.models import NetworkVisibility
from governance.networks.services.sharing import post_share
from peernet.members.services import block_create
from tests.factories import make_member, make_post
from tests.networks.sharing_setup import World, joined_network, leave

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def _board(network) -> str:
    return reverse("networks:board", args=[network.slug])


def _shared(world, circle=None, author=None, **kwargs):
    post = make_post(circle or world.home, author or world.author, **kwargs)
    post_share(post=post, author=author or world.author, network=world.network)
    return post


def _page(client, world, viewer, **params) -> str:
    client.force_login(viewer)
    response = client.get(_board(world.network), params)
    assert response.status_code == 200
    return response.content.decode()


# --- Who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", NetworkVisibility.values)
def test_members_of_member_circles_open_it(client, world, visibility):
    world.network.visibility = visibility
    world.network.save()
    _shared(world, title="Soup for the week")
    for viewer in (world.author, world.helper, world.other_member):
        assert "Soup for the week" in _page(client, world, viewer)


@pytest.mark.parametrize(
    ("visibility", "status"),
    [(NetworkVisibility.PUBLIC, 403), (NetworkVisibility.PRIVATE, 404)],
)
def test_outsiders_staff_and_leavers_are_turned_away(client, world, staff, visibility, status):
    world.network.visibility = visibility
    world.network.save()
    leave(world.network, world.other)
    for viewer in (world.outsider, staff, world.other_member):
        client.force_login(viewer)
        assert client.get(_board(world.network)).status_code == status


def test_signed_out(client, world):
    response = client.get(_board(world.network))
    assert response.status_code == 302 and "login" in response["Location"]
    world.network.visibility = NetworkVisibility.PRIVATE
    world.network.save()
    assert client.get(_board(world.network)).status_code == 404


def test_no_such_network(client, world):
    client.force_login(world.author)
    assert client.get(reverse("networks:board", args=["nowhere"])).status_code == 404


# --- What it lists --------------------------------------------------------------------------


def test_only_posts_shared_with_this_network_by_its_circles(client, world):
    _shared(world, title="Shared soup")
    make_post(world.home, world.author, title="Kept at home")
    other_network = joined_network([world.home, world.other], name="Other network")
    elsewhere = make_post(world.home, world.author, title="Shared elsewhere")
    post_share(post=elsewhere, author=world.author, network=other_network)
    page = _page(client, world, world.helper)
    assert "Shared soup" in page
    assert "Kept at home" not in page and "Shared elsewhere" not in page


def test_a_circle_that_left_takes_its_posts_off(client, world):
    _shared(world, title="From the riverside", circle=world.other, author=world.other_member)
    leave(world.network, world.other)
    assert "From the riverside" not in _page(client, world, world.helper)


def test_removed_posts_are_gone_and_open_is_the_default(client, world):
    removed = _shared(world, title="Removed one")
    done = _shared(world, title="Done one")
    _shared(world, title="Open one")
    removed.status = PostStatus.REMOVED
    removed.save()
    done.status = PostStatus.FULFILLED
    done.save()
    page = _page(client, world, world.helper)
    assert "Open one" in page and "Done one" not in page
    every = _page(client, world, world.helper, status="")
    assert "Done one" in every and "Removed one" not in every


def test_the_circle_boards_filters(client, world):
    _shared(world, title="Bike to lend", kind="offer", category="transport")
    _shared(world, title="Soup please", kind="need", category="food")
    assert "Bike" not in _page(client, world, world.helper, kind="need")
    assert "Soup" not in _page(client, world, world.helper, category="transport")
    found = _page(client, world, world.helper, q="soup")
    assert "Soup please" in found and "Bike" not in found


def test_pages(client, world):
    for n in range(22):
        _shared(world, title=f"Need number {n:02d}")
    first = _page(client, world, world.helper)
    assert "22 posts" in first and "Need number 21" in first and "Need number 01" not in first
    second = _page(client, world, world.helper, page=2)
    assert "Need number 01" in second and "Need number 21" not in second
    assert "Need number 21" in _page(client, world, world.helper, page="junk")


def test_htmx_gets_the_list_only(client, world):
    _shared(world, title="Soup for the week")
    client.force_login(world.helper)
    response = client.get(_board(world.network), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="posts"') and "Soup for the week" in body


@pytest.mark.parametrize("blocker_is_viewer", [True, False])
def test_a_block_hides_posts_either_way(client, world, blocker_is_viewer):
    _shared(world, title="Soup for the week")
    _shared(world, title="Anonymous soup", anonymous=True)
    if blocker_is_viewer:
        block_create(blocker=world.helper, blocked=world.author)
    else:
        block_create(blocker=world.author, blocked=world.helper)
    page = _page(client, world, world.helper)
    assert "soup" not in page.lower()
    assert "Soup for the week" in _page(client, world, world.other_member)


# --- How it names circles and authors -------------------------------------------------------


def test_cards_link_to_the_shared_page_and_name_public_circles(client, world):
    post = _shared(world, title="Soup for the week")
    page = _page(client, world, world.helper)
    assert f'href="/shared/{post.pk}/"' in page
    assert "Huerta" in page and "Ana Author" in page


def test_a_private_circle_is_a_private_circle_to_the_others(client, world):
    hidden_author = make_member(world.hidden, display_name="Pia Private")
    _shared(world, title="Hidden need", circle=world.hidden, author=hidden_author)
    page = _page(client, world, world.other_member)
    assert "Hidden need" in page and "a private circle" in page
    assert "Secret garden" not in page and "secret-garden" not in page
    # Its own members see its name.
    assert "Secret garden" in _page(client, world, world.helper)


def test_a_private_circle_that_shows_its_name_is_named(client, world):
    network = joined_network([world.hidden, world.other], show_names=[world.hidden])
    hidden_author = make_member(world.hidden)
    post = make_post(world.hidden, hidden_author, title="Hidden need")
    post_share(post=post, author=hidden_author, network=network)
    client.force_login(world.other_member)
    page = client.get(_board(network)).content.decode()
    assert "Secret garden" in page
    # Named, not linked: its home is still for its members.
    assert 'href="/c/secret-garden/"' not in page


def test_an_anonymous_need_stays_anonymous(client, world):
    _shared(world, title="Quiet need", anonymous=True)
    page = _page(client, world, world.helper)
    assert "Quiet need" in page and "a member" in page and "Ana Author" not in page
    assert "you (others see" in _page(client, world, world.author)
