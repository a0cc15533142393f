import contextlib

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext as _

from peernet.members.data_rights import AccountGone, account_delete
from peernet.members.models import Profile, User
from peernet.members.registry import name_changed


class OfferedFiltersOnly:
    """A changelist filters on what its list_filter offers, and on nothing else.

    Django's admin otherwise accepts any field or relation in the query string, so an
    operator could ask "which account wrote post 12?" (?posts=12) and unmask an anonymous
    need, or read a hidden note letter by letter (?lived_experience__startswith=a).
    """

    OFFERED_LOOKUPS = ("exact", "isnull")

    def lookup_allowed(self, lookup, value, request) -> bool:
        field, *rest = lookup.split(LOOKUP_SEP)
        offered = {f for f in self.get_list_filter(request) if isinstance(f, str)}
        return field in offered and len(rest) <= 1 and set(rest) <= set(self.OFFERED_LOOKUPS)


class UserAddForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "display_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(OfferedFiltersOnly, DjangoUserAdmin):
    add_form = UserAddForm
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_staff", "is_active"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "language", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name"]})]
    filter_horizontal = []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "display_name" in form.changed_data:
            name_changed(obj)

    # Deleting goes through the same service as a member's own "delete my account", so the
    # circles' records stay whole, and the confirmation page does not list the account's
    # notifications and other private rows to the operator.
    def delete_model(self, request, obj):
        with contextlib.suppress(AccountGone):
            account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    def get_deleted_objects(self, objs, request):
        summary = [
            _("%(email)s and its private data. What it wrote stays, as “former member”.")
            % {"email": user.email}
            for user in objs
        ]
        perms_needed = set() if self.has_delete_permission(request) else {"account"}
        return summary, {User._meta.verbose_name_plural: len(summary)}, perms_needed, []


@admin.register(Profile)
class ProfileAdmin(OfferedFiltersOnly, admin.ModelAdmin):
    list_display = ["user"]
    # The lived-experience note is for fellow members only, not for operators.
    exclude = ["lived_experience"]
    raw_id_fields = ["user"]


# Groups are not used: a circle's power is its members' votes, not an admin group.
admin.site.unregister(Group)
admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(OfferedFiltersOnly, AllauthEmailAddressAdmin):
    pass
