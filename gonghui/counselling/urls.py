"""Console URLs of counselling."""

from .views import urlpatterns  # noqa: F401

app_name = "counselling"
