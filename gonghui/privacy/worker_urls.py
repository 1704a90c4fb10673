from django.urls import path

from . import worker_views

app_name = "privacy_w"
urlpatterns = [
    path("", worker_views.home, name="home"),
    path("notice/", worker_views.notice, name="notice"),
    path("download/", worker_views.download, name="download"),
    path("withdraw/", worker_views.withdraw, name="withdraw"),
    path("correct/", worker_views.correct, name="correct"),
    path("delete/", worker_views.delete, name="delete"),
    path("phone/", worker_views.phone, name="phone"),
    path("requests/<int:pk>/withdraw/", worker_views.withdraw_request, name="withdraw_request"),
]
