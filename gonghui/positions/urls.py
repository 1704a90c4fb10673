"""Console URLs of positions; each views module declares its own patterns."""

from .views import assessments, bookrooms, positions, visits

app_name = "positions"
urlpatterns = visits.urlpatterns + positions.urlpatterns + assessments.urlpatterns + bookrooms.urlpatterns
