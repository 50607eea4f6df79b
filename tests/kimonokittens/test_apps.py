"""Third-party admin sections under Swedish names (kimonokittens/apps.py and the catalogue)."""

import pytest
from axes.models import AccessAttempt

from tests.builders import make_login

pytestmark = pytest.mark.django_db


def test_the_login_throttling_section_of_the_admin_reads_swedish(client):
    client.force_login(make_login("root", is_superuser=True))
    index = client.get("/admin/").content.decode()
    assert "Inloggningsförsök" in index
    assert "Axes" not in index and "Access attempts" not in index

    AccessAttempt.objects.create(username="gast", ip_address="127.0.0.1", user_agent="test",
                                 path_info="/konto/logga-in/", failures_since_start=1)  # fmt: skip
    listing = client.get("/admin/axes/accessattempt/").content.decode()
    assert "Användarnamn" in listing and "IP-adress" in listing
