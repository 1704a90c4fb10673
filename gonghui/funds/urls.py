"""Console URLs of funds; each views module declares its own patterns."""

from .views import awards, evaluation, money, projects

app_name = "funds"
urlpatterns = money.urlpatterns + projects.urlpatterns + awards.urlpatterns + evaluation.urlpatterns
