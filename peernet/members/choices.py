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
