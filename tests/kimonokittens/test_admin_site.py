"""The house's admin site builds the list of apps only on the pages that show it."""

import pytest
from django.contrib import admin

from kimonokittens.admin_site import HouseAdminSite
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the admin built its list of apps."""
    calls = []
    original = admin.AdminSite._build_app_dict

    def counted(self, request, label=None):
        calls.append(label)
        return original(self, request, label)

    monkeypatch.setattr(admin.AdminSite, "_build_app_dict", counted)
    return calls


def test_a_list_page_does_not_build_the_app_list_the_index_shows(client, builds):
    assert isinstance(admin.site, HouseAdminSite)
    client.force_login(make_treasurer())
    assert client.get("/admin/rent/rentledger/").status_code == 200
    assert builds == []
    index = client.get("/admin/")
    assert 'href="/admin/rent/rentledger/"' in index.content.decode()
    assert builds == [None]
    assert client.get("/admin/rent/").status_code == 200
    assert builds[-1] == "rent"
    assert client.get("/admin/nosuchapp/").status_code == 404
