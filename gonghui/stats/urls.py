"""Console URLs of stats."""

from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("export/", views.export_table, name="export"),
    path("report/", views.report_page, name="report"),
    path("report/download/", views.report_download, name="report_download"),
    path("report/template/", views.template_edit, name="template"),
]
