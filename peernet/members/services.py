from django.db import transaction

from peernet.cache_versions import versions_replace
from peernet.errors import DomainError, full_clean_or_refuse
from peernet.members.choices import Delivery, DigestFrequency, Topic
from peernet.members.models import Block, NotificationSettings, Profile, User
from peernet.members.registry import name_changed
from peernet.members.selectors import (
    BLOCKS_VERSION_KEY,
    available_time_zones,
    block_problem,
    notification_settings_for,
)


@transaction.atomic
def user_signup_complete(*, user: User, display_name: str, language: str) -> User:
    """Finish an account allauth has just created: name, language and an empty profile."""
    user.display_name = display_name.strip()
    user.language = language
    user.save(update_fields=["display_name", "language"])
    Profile.objects.get_or_create(user=user)
    return user


@transaction.atomic
def profile_update(*, user: User, display_name: str, **fields) -> Profile:
    renamed = user.display_name != display_name.strip()
    user.display_name = display_name.strip()
    user.save(update_fields=["display_name"])
    if renamed:
        name_changed(user)
    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    full_clean_or_refuse(profile)
    profile.save()
    return profile


def user_set_language(*, user: User, language: str) -> None:
    if user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


def notification_settings_update(*, user: User, time_zone: str, **fields) -> NotificationSettings:
    """Save how each topic reaches the member and when their digest goes out."""
    if time_zone not in available_time_zones():
        raise ValueError(f"unknown time zone {time_zone!r}")
    with transaction.atomic():
        settings_row = notification_settings_for(user=user)
        for name, value in fields.items():
            setattr(settings_row, name, value)
        full_clean_or_refuse(settings_row)
        settings_row.save()
        User.objects.filter(pk=user.pk).update(time_zone=time_zone)
        user.time_zone = time_zone
    return settings_row


def notification_unsubscribe(*, user: User, topic: str | None) -> NotificationSettings:
    """Turn off email for one topic, or for everything (topics and digest) when topic is None."""
    settings_row = notification_settings_for(user=user)
    topics = [topic] if topic else list(Topic.values)
    for name in topics:
        setattr(settings_row, name, Delivery.OFF)
    fields = list(topics)
    if topic is None:
        settings_row.digest_frequency = DigestFrequency.NEVER
        fields.append("digest_frequency")
    settings_row.save(update_fields=fields)
    return settings_row


def block_create(*, blocker: User, blocked: User) -> Block:
    """Block someone, silently and across every circle. Blocking twice keeps one block."""
    if problem := block_problem(blocker=blocker, blocked=blocked):
        raise DomainError(problem)
    # get_or_create retries the read when a concurrent request won the insert.
    block, _created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    blocks_changed(user_ids=[blocker.pk, blocked.pk])
    return block


def block_remove(*, blocker: User, blocked: User) -> None:
    """Unblock. Unblocking someone not blocked does nothing."""
    Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    blocks_changed(user_ids=[blocker.pk, blocked.pk])


def blocks_changed(*, user_ids) -> None:
    """These people's blocks changed: their cached block sets are stale."""
    versions_replace(BLOCKS_VERSION_KEY.format(user=pk) for pk in user_ids)
