from django.urls import path

from peernet.members import views

app_name = "members"

urlpatterns = [
    path("", views.account, name="account"),
    path("profile/", views.profile_edit, name="profile"),
    path("language/", views.language, name="language"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
    path("blocked/", views.blocked_members, name="blocked"),
    path("blocked/<id:user_pk>/unblock/", views.unblock, name="unblock"),
    path("data/", views.my_data, name="my_data"),
    path("data/export.json", views.data_export, name="data_export"),
    path("delete/", views.account_delete_confirm, name="delete"),
    path("unsubscribe/<token:token>/", views.unsubscribe, name="unsubscribe"),
]
