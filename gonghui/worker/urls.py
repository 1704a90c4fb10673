from django.urls import path

from . import assistance, claims, courses, membership, stations, views

app_name = "worker"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.me, name="me"),
    path("join/<str:token>/", membership.join, name="join"),
    path("membership/", membership.membership, name="membership"),
    path("membership/applications/<int:pk>/withdraw/", membership.withdraw, name="withdraw_application"),
    path("card/", membership.card, name="card"),
    path("card/check/<str:token>/", membership.card_check, name="card_check"),
    path("help/", views.help_hub, name="help"),
]
# Each module's worker pages live in their own file of this app.
urlpatterns += stations.urlpatterns + courses.urlpatterns + claims.urlpatterns + assistance.urlpatterns
