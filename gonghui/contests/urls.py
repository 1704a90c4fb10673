"""Console URLs of contests."""

from .views import urlpatterns  # noqa: F401

app_name = "contests"
