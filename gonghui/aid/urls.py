"""Console URLs of aid."""

app_name = "aid"
urlpatterns: list = []
