"""Console URLs of aid; each views module declares its own patterns."""

from .views import applications, hardship, programmes, wishes

app_name = "aid"
urlpatterns = programmes.urlpatterns + applications.urlpatterns + hardship.urlpatterns + wishes.urlpatterns
