from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("circles/", views.directory, name="directory"),
    path("circles/new/", views.circle_create, name="create"),
    path("invite/<str:token>/", views.invite_open, name="invite"),
    path("c/<slug:slug>/", views.circle_home, name="home"),
    path("c/<slug:slug>/settings/", views.circle_settings, name="settings"),
    path("c/<slug:slug>/members/", views.members, name="members"),
    path("c/<slug:slug>/sharing/", views.sharing, name="sharing"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/requests/", views.requests, name="requests"),
    path("c/<slug:slug>/requests/<int:pk>/review/", views.request_review, name="request_review"),
    path(
        "c/<slug:slug>/requests/<int:pk>/withdraw/",
        views.request_withdraw,
        name="request_withdraw",
    ),
    path("c/<slug:slug>/invites/", views.invites, name="invites"),
    path("c/<slug:slug>/invites/<int:pk>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
]
