"""Activities and courses on the phone: browse, count down, sign up, cancel, my activities (activities).

The URL patterns below are joined into the worker namespace by worker/urls.py."""

urlpatterns: list = []
