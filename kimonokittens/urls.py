from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from api import kiosk_base
from api.views import kiosk
from kimonokittens.views import favicon, healthz

# A refused request gets a page in Swedish (in the admin's look inside the admin).
handler403 = "kimonokittens.views.permission_denied"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Early: the dashboard and the kiosk poll it, and each pattern before it is tried first.
    path("api/", include("api.urls")),
    path("favicon.ico", favicon, name="favicon"),
    # The admin's login page offers "Glömt lösenordet?" when this name exists.
    path(
        f"{settings.ADMIN_URL}glomt-losenord/",
        auth_views.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    # Set by the environment (ADMIN_URL, default "admin/").
    path(settings.ADMIN_URL, admin.site.urls),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # "Glömt lösenordet?" and the treasurer's set-password links (email from EMAIL_URL).
    path("konto/losenord/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "konto/losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        # With more than one authentication backend (django-axes is first), a login made
        # without authenticate() has to name the one that vouches for the user.
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True,
            post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
        ),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("handbok/", include("handbook.urls")),
    # The old dashboard's base URL with a read-only token in it (api/kiosk_base.py).
    path("k/<str:token>/api/rent/friendly_message", kiosk_base.friendly_message),
    re_path(r"^k/(?P<token>[^/]+)/(?P<rest>.*)$", kiosk_base.not_found),
    path("kiosk/", kiosk, name="kiosk"),
    path("", include("rent.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", RedirectView.as_view(url="/handbok/", permanent=False), name="home"),
]

handler500 = "kimonokittens.views.server_error"
