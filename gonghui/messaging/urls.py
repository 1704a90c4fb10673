from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/requeue/", views.requeue, name="requeue"),
    path("notices/", views.notices_page, name="notices"),
    path("notices/<int:pk>/approve/", views.notice_approve, name="notice_approve"),
]
