"""Console URLs of rights; each views module declares its own patterns."""

from .views import cases, checklist, checkups

app_name = "rights"
urlpatterns = cases.urlpatterns + checkups.urlpatterns + checklist.urlpatterns
