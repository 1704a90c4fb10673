"""Console URLs of funds; each views module declares its own patterns."""

from .views import awards, evaluation, kinds, money, projects

app_name = "funds"
urlpatterns = (money.urlpatterns + projects.urlpatterns + kinds.urlpatterns + awards.urlpatterns
               + evaluation.urlpatterns)
