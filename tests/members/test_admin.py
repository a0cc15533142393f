"""The admin is for running the server: it filters only on what it offers, and its login is
throttled like every other login."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory, make_circle, make_post

pytestmark = pytest.mark.django_db

# Lookups an attacker tried, and the shapes Django's admin would otherwise accept.
OPERATOR_PASSWORD = "the right one, long enough"
LOOKUP_SHAPES = ["{}", "{}__exact", "{}__in", "{}__id__exact", "{}__startswith", "{}__isnull"]


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def offered_filters(model_admin) -> set[str]:
    return {f for f in model_admin.list_filter if isinstance(f, str)}


@pytest.fixture
def anonymous_need(db):
    circle, (author, responder) = make_circle(members=2)
    post = make_post(circle, author, anonymous=True)
    from circles.services import response_create

    response = response_create(post=post, responder=responder, text="I can help")
    return post, response, author, responder


def test_staff_cannot_find_who_wrote_an_anonymous_need(client, staff, anonymous_need):
    post, response, author, _responder = anonymous_need
    client.force_login(staff)
    url = reverse("admin:members_user_changelist")
    for query in [
        f"posts={post.pk}",
        f"posts__id__exact={post.pk}",
        f"posts__in={post.pk}",
        f"responses={response.pk}",
        f"responses__post={post.pk}",
    ]:
        answer = client.get(f"{url}?{query}")
        assert answer.status_code == 400, query
        assert author.email not in answer.content.decode(), query


def test_staff_cannot_read_the_lived_experience_note_by_guessing(client, staff, user):
    user.profile.lived_experience = "Secret story"
    user.profile.save()
    client.force_login(staff)
    url = reverse("admin:members_profile_changelist")
    for guess in ["S", "X"]:
        answer = client.get(f"{url}?lived_experience__startswith={guess}")
        assert answer.status_code == 400


def test_every_registered_model_refuses_every_lookup_it_does_not_offer(client, staff):
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        offered = offered_filters(model_admin)
        names = {f.name for f in model._meta.get_fields()} - offered
        assert names, model
        for name in sorted(names):
            for shape in LOOKUP_SHAPES:
                lookup = shape.format(name)
                answer = client.get(f"{changelist(model)}?{lookup}=1")
                assert answer.status_code == 400, f"{model._meta.label}?{lookup}"


def test_the_filters_the_admin_offers_still_work(client, staff):
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        for name in offered_filters(model_admin):
            answer = client.get(f"{changelist(model)}?{name}__exact=1")
            assert answer.status_code == 200, f"{model._meta.label}?{name}"
        assert client.get(f"{changelist(model)}?q=peer").status_code == 200


def operator_with_password():
    operator = UserFactory(is_staff=True, is_superuser=True)
    operator.set_password(OPERATOR_PASSWORD)
    operator.save()
    return operator


def test_operator_login_locks_out_after_repeated_failures(client):
    operator = operator_with_password()
    answer = client.get(reverse("admin:login"))
    assert answer.status_code == 302
    assert answer.url.startswith("/accounts/login/")
    login_url = reverse("account_login")  # where a password is typed
    for _attempt in range(30):
        client.post(login_url, {"login": operator.email, "password": "wrong guess"})
    answer = client.post(
        login_url, {"login": operator.email, "password": "the right one, long enough"}
    )
    assert answer.status_code == 429 or "Too many failed login attempts" in answer.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_login_page_takes_no_password_itself(client):
    operator = UserFactory(is_staff=True, is_superuser=True)
    operator.set_password("the right one, long enough")
    operator.save()
    answer = client.post(
        reverse("admin:login"),
        {"username": operator.email, "password": "the right one, long enough"},
    )
    assert answer.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302
