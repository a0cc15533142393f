"""Principle 1: a profile needs a display name and nothing else, anywhere in Peernet."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from peernet.members.forms import SignupForm
from peernet.members.models import Profile, User

FORBIDDEN_FIELD_NAME = re.compile(
    r"credential|certif|licen[cs]|diagnos|real_name|legal_name|employer|id_number", re.IGNORECASE
)
# Set by the system, never asked of a person: the password is unusable unless the
# member chooses to add one later.
SYSTEM_FIELDS = {"password"}
ALLOWED_REQUIRED = {"email", "display_name"}


def project_models():
    base = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        path = Path(config.path)
        if base in path.parents and ".venv" not in path.parts:
            yield from config.get_models()


def is_required(field: models.Field) -> bool:
    return (
        getattr(field, "concrete", True)
        and field.editable
        and not field.auto_created
        and not field.primary_key
        and not field.blank
        and not field.null
        and not field.has_default()
        and not isinstance(field, models.ForeignKey | models.OneToOneField)
    )


def test_project_apps_are_found():
    found = list(project_models())
    assert User in found
    assert Profile in found
    assert not any(m._meta.app_label == "auth" for m in found)


def test_no_field_anywhere_asks_for_a_credential():
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in project_models()
        for field in model._meta.get_fields()
        if FORBIDDEN_FIELD_NAME.search(field.name)
    ]
    assert offenders == []


def test_user_and_profile_require_only_email_and_display_name():
    for model in (User, Profile):
        required = {
            f.name
            for f in model._meta.get_fields()
            if is_required(f) and f.name not in SYSTEM_FIELDS
        }
        assert required <= ALLOWED_REQUIRED, (
            f"{model.__name__} requires {required - ALLOWED_REQUIRED}"
        )


def test_signup_asks_for_email_and_display_name_only():
    assert list(SignupForm().fields) == ["email", "display_name"]


def test_the_checker_catches_a_forbidden_field():
    """The regex test above would fail on a field named like a credential."""
    assert FORBIDDEN_FIELD_NAME.search("certification_number")
    assert FORBIDDEN_FIELD_NAME.search("license")
    assert FORBIDDEN_FIELD_NAME.search("diagnosis")
    assert not FORBIDDEN_FIELD_NAME.search("display_name")
    assert is_required(models.CharField(name="x", max_length=5))
