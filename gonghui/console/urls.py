from django.urls import path

from . import audit_views, views

app_name = "console"
urlpatterns = [
    path("", views.index, name="index"),
    path("console/", views.home, name="home"),
    *audit_views.urlpatterns,
]
