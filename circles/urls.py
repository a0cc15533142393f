from django.urls import path

from circles import views

app_name = "circles"

urlpatterns = [
    path("circles/", views.directory, name="directory"),
    path("circles/new/", views.circle_create, name="create"),
    path("welcome/", views.welcome, name="welcome"),
    path("invite/<token:token>/", views.invite_open, name="invite"),
    path("c/<slug:slug>/", views.circle_home, name="home"),
    path("c/<slug:slug>/settings/", views.circle_settings, name="settings"),
    path("c/<slug:slug>/members/", views.members, name="members"),
    path("c/<slug:slug>/members/<id:user_pk>/block/", views.member_block, name="member_block"),
    path("c/<slug:slug>/sharing/", views.sharing, name="sharing"),
    path("c/<slug:slug>/crisis-plan/", views.crisis_plan, name="crisis_plan"),
    path("c/<slug:slug>/join/", views.join, name="join"),
    path("c/<slug:slug>/requests/", views.requests, name="requests"),
    path("c/<slug:slug>/requests/<id:pk>/review/", views.request_review, name="request_review"),
    path(
        "c/<slug:slug>/requests/<id:pk>/withdraw/",
        views.request_withdraw,
        name="request_withdraw",
    ),
    path("c/<slug:slug>/invites/", views.invites, name="invites"),
    path("c/<slug:slug>/invites/<id:pk>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("c/<slug:slug>/leave/", views.leave, name="leave"),
    path("board/", views.my_board, name="my_board"),
    path("c/<slug:slug>/board/", views.board, name="board"),
    path("c/<slug:slug>/posts/new/", views.post_create, name="post_create"),
    path("c/<slug:slug>/posts/<id:pk>/", views.post_detail, name="post"),
    path("c/<slug:slug>/posts/<id:pk>/respond/", views.post_respond, name="post_respond"),
    path(
        "c/<slug:slug>/posts/<id:pk>/conversations/<id:response_pk>/",
        views.conversation,
        name="conversation",
    ),
    path(
        "c/<slug:slug>/posts/<id:pk>/conversations/<id:response_pk>/accept/",
        views.post_accept,
        name="post_accept",
    ),
    path("c/<slug:slug>/posts/<id:pk>/fulfil/", views.post_fulfil, name="post_fulfil"),
    path("c/<slug:slug>/posts/<id:pk>/thanks/", views.post_thank, name="post_thank"),
    path("c/<slug:slug>/posts/<id:pk>/withdraw/", views.post_withdraw, name="post_withdraw"),
    path("c/<slug:slug>/posts/<id:pk>/extend/", views.post_extend, name="post_extend"),
]
