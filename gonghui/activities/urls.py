"""Console URLs of activities."""

app_name = "activities"
urlpatterns: list = []
