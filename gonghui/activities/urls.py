"""Console URLs of activities; each views module declares its own patterns."""

from .views import console, paper, volunteers

app_name = "activities"
urlpatterns = console.urlpatterns + volunteers.urlpatterns + paper.urlpatterns
