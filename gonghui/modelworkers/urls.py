"""Console URLs of the model-worker register."""

from .views import urlpatterns  # noqa: F401

app_name = "modelworkers"
