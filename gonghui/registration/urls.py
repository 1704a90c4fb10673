"""Console URLs of registration and its public verification pages; each views module declares its own."""

from .views import applications, public, register

app_name = "registration"
urlpatterns = applications.urlpatterns + register.urlpatterns + public.urlpatterns
