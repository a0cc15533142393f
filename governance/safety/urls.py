from django.urls import path

from governance.safety import views

app_name = "safety"

urlpatterns = [
    path("c/<slug:slug>/care/", views.care, name="care"),
    path("c/<slug:slug>/care/willing/", views.care_willing, name="willing"),
    path("c/<slug:slug>/care/turns/<id:pk>/decline/", views.rota_decline, name="decline"),
    path("c/<slug:slug>/report/<slug:target>/<id:pk>/", views.report_new, name="report"),
    path("c/<slug:slug>/reports/<id:pk>/", views.report_detail, name="report_detail"),
    path("c/<slug:slug>/reports/<id:pk>/write/", views.report_write, name="report_write"),
    path("c/<slug:slug>/reports/<id:pk>/handled/", views.report_handled, name="report_handled"),
]
