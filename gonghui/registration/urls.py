"""Console URLs of registration and its public verification pages; each views module declares its own."""

from .views import applications, offices, public, register

app_name = "registration"
urlpatterns = applications.urlpatterns + register.urlpatterns + offices.urlpatterns + public.urlpatterns
