"""The worker's inbox, under /w/inbox/ (gonghui/urls.py)."""

from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("read/", views.inbox_read, name="read"),
    path("notices/", views.inbox_opt_out, name="opt_out"),
    path("courses/<int:pk>.ics", views.course_calendar, name="course_calendar"),  # public, published courses only
]
