from django.urls import path

from governance.legitimacy.views import impact, partnerships, reports, stories

app_name = "legitimacy"

urlpatterns = [
    path("c/<slug:slug>/impact/", impact.impact, name="impact"),
    path("c/<slug:slug>/stories/", stories.stories, name="stories"),
    path("c/<slug:slug>/stories/new/", stories.story_new, name="story_new"),
    path("c/<slug:slug>/stories/<id:pk>/", stories.story_detail, name="story"),
    path("c/<slug:slug>/stories/<id:pk>/withdraw/", stories.story_withdraw, name="story_withdraw"),
    path("c/<slug:slug>/stories/<id:pk>/consent/", stories.story_consent, name="story_consent"),
    path("c/<slug:slug>/partnerships/", partnerships.partnerships, name="partnerships"),
    path("c/<slug:slug>/reports/", reports.circle_reports, name="circle_reports"),
    path("reports/<str:public_id>/", reports.report_page, name="report"),
    path("reports/<str:public_id>.json", reports.report_json, name="report_json"),
    path("reports/<str:public_id>.md", reports.report_markdown, name="report_markdown"),
]
