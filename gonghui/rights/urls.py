"""Console URLs of rights."""

app_name = "rights"
urlpatterns: list = []
