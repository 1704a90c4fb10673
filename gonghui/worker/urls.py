from django.urls import path

from . import assistance, claims, courses, hub, membership, stations, views

app_name = "worker"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("me/", hub.me, name="me"),
    path("join/", membership.join_find, name="join_find"),
    path("join/union/<code>/", membership.join_union, name="join_union"),
    path("join/offer/", membership.join_offer, name="join_offer"),
    path("join/<str:token>/", membership.join, name="join"),
    path("membership/", membership.membership, name="membership"),
    path("membership/applications/<int:pk>/withdraw/", membership.withdraw, name="withdraw_application"),
    path("card/", membership.card, name="card"),
    path("card/check/<str:token>/", membership.card_check, name="card_check"),
    path("help/", views.help_hub, name="help"),
]
# Each module's worker pages live in their own file of this app.
urlpatterns += (stations.urlpatterns + courses.urlpatterns + claims.urlpatterns + assistance.urlpatterns
                + hub.urlpatterns)
