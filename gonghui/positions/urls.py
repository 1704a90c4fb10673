"""Console URLs of positions."""

app_name = "positions"
urlpatterns: list = []
