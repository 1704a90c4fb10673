"""Console URLs of the roster; each views module declares its own patterns."""

from .views import card, importing, joining, roster, transfers

app_name = "members"
urlpatterns = roster.urlpatterns + joining.urlpatterns + transfers.urlpatterns + importing.urlpatterns + card.urlpatterns
