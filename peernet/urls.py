from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from peernet import views

# Operators log in like everyone else, through allauth, whose rate limits lock out guessing.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("circles.urls")),
    path("", include("governance.urls")),
    path("", include("governance.safety.urls")),
    path("", include("governance.legitimacy.urls")),
    path("", include("governance.networks.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/notifications/", include("peernet.notify.urls")),
    path("me/", include("peernet.members.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
