from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("tree/", views.tree, name="tree"),
    path("tree/search/", views.search, name="search"),
    path("nodes/<int:pk>/", views.node_detail, name="node"),
    path("nodes/<int:pk>/children/", views.node_children, name="children"),
    path("nodes/<int:pk>/add/", views.node_create, name="node_create"),
    path("nodes/<int:pk>/edit/", views.node_edit, name="node_edit"),
    path("nodes/<int:pk>/move/", views.node_move, name="node_move"),
    path("nodes/<int:pk>/merge/", views.node_merge, name="node_merge"),
    path("nodes/<int:pk>/dissolve/", views.node_dissolve, name="node_dissolve"),
    path("nodes/<int:pk>/staff/", views.staff, name="staff"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/export/", views.ledger_export, name="ledger_export"),
    path("ledger/new/", views.employer_create, name="employer_create"),
    path("ledger/<int:pk>/", views.employer_detail, name="employer"),
    path("ledger/<int:pk>/edit/", views.employer_edit, name="employer_edit"),
]
