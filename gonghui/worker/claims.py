"""Rights claims on the phone: submit, follow by tracking code, add information, withdraw (rights).

The URL patterns below are joined into the worker namespace by worker/urls.py."""

urlpatterns: list = []
