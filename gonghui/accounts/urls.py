from django.urls import path

from . import cadre_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("otp/", views.otp, name="otp"),
    path("no-role/", views.no_role, name="no_role"),
    path("password/", cadre_views.own_password, name="password"),
    path("link/<str:token>/", cadre_views.account_link, name="link"),
    path("tokens/", cadre_views.own_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", cadre_views.own_token_revoke, name="token_revoke"),
    path("cadres/", cadre_views.cadre_list, name="cadres"),
    path("cadres/new/", cadre_views.cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", cadre_views.cadre_detail, name="cadre"),
    path("cadres/<int:pk>/grant/", cadre_views.cadre_grant, name="cadre_grant"),
    path("cadres/<int:pk>/active/", cadre_views.cadre_active, name="cadre_active"),
    path("cadres/<int:pk>/reset-password/", cadre_views.cadre_reset_password, name="cadre_reset_password"),
    path("cadres/<int:pk>/reset-totp/", cadre_views.cadre_reset_totp, name="cadre_reset_totp"),
    path("roles/<int:pk>/revoke/", cadre_views.role_revoke, name="role_revoke"),
]
