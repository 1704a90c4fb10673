from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
]
