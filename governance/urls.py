from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("c/<slug:slug>/agreements/", views.agreements, name="agreements"),
    path("c/<slug:slug>/agreements/<id:pk>/", views.agreement_detail, name="agreement"),
    path("c/<slug:slug>/proposals/", views.proposals, name="proposals"),
    path("c/<slug:slug>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("c/<slug:slug>/proposals/<id:pk>/", views.proposal_detail, name="proposal"),
    path("c/<slug:slug>/proposals/<id:pk>/vote/", views.proposal_vote, name="vote"),
    path("c/<slug:slug>/proposals/<id:pk>/open/", views.proposal_open, name="open"),
    path("c/<slug:slug>/proposals/<id:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("c/<slug:slug>/proposals/<id:pk>/comment/", views.proposal_comment, name="comment"),
    path("c/<slug:slug>/decisions/", views.decisions, name="decisions"),
    path("c/<slug:slug>/record.json", views.record_json, name="record_json"),
    path("c/<slug:slug>/record.md", views.record_markdown, name="record_markdown"),
]
