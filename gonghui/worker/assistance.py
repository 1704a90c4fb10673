"""Assistance on the phone: applications, medical mutual aid claims, micro-wishes (aid).

The URL patterns below are joined into the worker namespace by worker/urls.py."""

urlpatterns: list = []
