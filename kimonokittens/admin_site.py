"""The admin site of the house: Django's, with the list of apps built only where it is shown."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class HouseAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        """Built when read. Every admin page's context asks for it (`each_context`, for the
        navigation sidebar, which is off: rent.admin), but only the index and an app's page
        show it; building it checks four permissions and reverses URLs for every model."""
        return SimpleLazyObject(
            lambda: super(HouseAdminSite, self).get_app_list(request, app_label)
        )


class HouseAdminConfig(AdminConfig):
    """django.contrib.admin with `HouseAdminSite` as `admin.site`."""

    default_site = "kimonokittens.admin_site.HouseAdminSite"
