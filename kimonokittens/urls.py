from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from kimonokittens.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Set by the environment (ADMIN_URL, default "admin/").
    path(settings.ADMIN_URL, admin.site.urls),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("handbok/", include("handbook.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", RedirectView.as_view(url="/handbok/", permanent=False), name="home"),
]

handler500 = "kimonokittens.views.server_error"
