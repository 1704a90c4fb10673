"""Console URLs of stats."""

app_name = "stats"
urlpatterns: list = []
