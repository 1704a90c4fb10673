"""Console pages: importing."""

urlpatterns = []
