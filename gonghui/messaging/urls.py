from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/requeue/", views.requeue, name="requeue"),
]
