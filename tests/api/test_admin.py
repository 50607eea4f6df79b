"""API tokens in the admin: the treasurer creates and revokes them; a member cannot."""

import pytest

from api.models import ApiToken
from api.tokens import hash_token
from tests.builders import make_member, make_token
from tests.people import make_treasurer

pytestmark = pytest.mark.django_db

TOKENS = "/admin/api/apitoken/"


def shown_token(response) -> str:
    shown = [str(m) for m in response.context["messages"]]
    return next(w.rstrip(".") for m in shown for w in m.split() if w.startswith("kk_"))


def test_the_treasurer_creates_a_token_sees_it_once_and_revokes_it(client):
    treasurer = make_treasurer()
    client.force_login(treasurer)
    assert client.get(TOKENS).status_code == 200
    assert client.get(f"{TOKENS}add/").status_code == 200

    response = client.post(f"{TOKENS}add/", {"name": "Hallen", "scope": "read"}, follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = shown_token(response)
    assert hash_token(raw) == token.key_hash
    assert token.created_by == treasurer and token.scope == "read"
    assert raw not in client.get(f"{TOKENS}{token.pk}/change/").content.decode()

    response = client.post(
        TOKENS, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert ApiToken.objects.get().revoked_at is not None
    client.logout()
    assert client.get("/api/rent/roommates", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_admin_index_lists_tokens_for_the_treasurer_only(client):
    client.force_login(make_treasurer())
    assert TOKENS in client.get("/admin/").content.decode()
    client.force_login(make_member("adam", role="Boende", is_staff=True))
    assert TOKENS not in client.get("/admin/").content.decode()


def test_a_member_can_neither_see_create_nor_revoke_tokens(client):
    token, raw = make_token("kiosk", scope="read")
    client.force_login(make_member("adam", role="Boende", is_staff=True))

    assert client.get(TOKENS).status_code == 403
    assert client.get(f"{TOKENS}add/").status_code == 403
    assert client.get(f"{TOKENS}{token.pk}/change/").status_code == 403
    response = client.post(f"{TOKENS}add/", {"name": "Min", "scope": "treasurer"})
    assert response.status_code == 403
    response = client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 403

    assert list(ApiToken.objects.values_list("name", "revoked_at")) == [("kiosk", None)]
    client.logout()
    assert client.get("/api/rent/roommates", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
