"""The station finder (no sign-in), station pages and visit check-in by QR code (positions).

The URL patterns below are joined into the worker namespace by worker/urls.py."""

urlpatterns: list = []
