from django.db import models
from django.utils.translation import gettext_lazy as _


class HelpCategory(models.TextChoices):
    """The fixed categories of mutual aid, shared by profiles and posts."""

    FOOD = "food", _("Food")
    HOUSING = "housing", _("Housing")
    TRANSPORT = "transport", _("Transport")
    CHILDCARE = "childcare", _("Childcare")
    HEALTH = "health", _("Health and wellbeing")
    EMOTIONAL = "emotional", _("Emotional support")
    MONEY = "money", _("Money")
    ITEMS = "items", _("Items")
    SKILLS = "skills", _("Skills and learning")
    ERRANDS = "errands", _("Errands")
    OTHER = "other", _("Other")


class Topic(models.TextChoices):
    """What a notification is about; each member chooses how each topic reaches them."""

    POSTS = "posts", _("New offers and needs, and matches for what I can help with")
    RESPONSES = "responses", _("Responses and messages about my posts")
    PROPOSALS = "proposals", _("Proposals opened and decisions made")
    VOTE_REMINDERS = "vote_reminders", _("Reminders to vote")
    MEMBERSHIP = "membership", _("Join requests and membership")
    CARE = "care", _("The care rota: my turns, and reports I handle or made")


class Delivery(models.TextChoices):
    NOW = "now", _("Email me right away")
    DIGEST = "digest", _("Put it in my digest")
    OFF = "off", _("Only in Peernet")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
