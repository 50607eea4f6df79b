"""The household's people, made once for every test that asks who may see what.

- `member`: a login linked to a tenant living here, in the group Boende (staff, as
  household.logins.create_login makes a housemate's login);
- `treasurer`: the group Kassör, no tenant of its own;
- `moved_out`: a login in Boende whose tenant has moved out (a previous member: it may still read
  its own statement, nothing else);
- `no_tenant`: an active login with no tenant and no group;
- `anonymous`: not logged in (None).

The tenants' dates are fixed and far from today, so a test that moves "today" (a monkeypatched
`timezone.localdate`) sees the same people. The `people` and `treasurer` fixtures
(tests/conftest.py) make them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User

from household.roles import MEMBER, TREASURER
from rent.models import Tenant
from tests.builders import make_login, make_tenant

# The order every access table lists its people in.
PERSONS = ("anonymous", "member", "treasurer", "moved_out", "no_tenant")

MOVED_IN = date(2020, 1, 1)
MOVED_OUT = date(2024, 12, 31)  # before every "today" the tests use


def make_treasurer(username: str = "kassor", **fields) -> User:
    """The treasurer: a staff login in the group Kassör."""
    return make_login(username, role=TREASURER, **fields)


def make_housemate(username: str, *, tenant: Tenant | None = None, **fields) -> User:
    """A member's login (group Boende, staff) linked to `tenant`, by default a new tenant who
    has lived here since 2020."""
    tenant = tenant or make_tenant(username.title(), start_date=MOVED_IN)
    return make_login(username, role=MEMBER, tenant=tenant, **fields)


def make_moved_out(username: str = "utflyttad", **fields) -> User:
    """A previous member: the login is kept (in Boende), its tenant moved out in 2024."""
    tenant = make_tenant(
        fields.pop("tenant_name", "Olle"), start_date=MOVED_IN, departure_date=MOVED_OUT
    )
    return make_login(username, role=MEMBER, tenant=tenant, **fields)


def make_login_without_tenant(username: str = "gast", **fields) -> User:
    """An active login that belongs to no one in the house: no tenant, no group."""
    fields.setdefault("is_staff", False)
    return make_login(username, **fields)


@dataclass(frozen=True)
class People:
    member: User
    treasurer: User
    moved_out: User
    no_tenant: User

    @property
    def anonymous(self) -> None:
        return None

    def login(self, person: str) -> User | None:
        """The login of one of PERSONS (None: anonymous)."""
        return getattr(self, person)

    @property
    def member_tenant(self) -> Tenant:
        return self.member.tenant

    @property
    def moved_out_tenant(self) -> Tenant:
        return self.moved_out.tenant


def make_people() -> People:
    return People(
        member=make_housemate("medlem", tenant=make_tenant("Maja", start_date=MOVED_IN)),
        treasurer=make_treasurer(),
        moved_out=make_moved_out(),
        no_tenant=make_login_without_tenant(),
    )


def log_in(client, people: People, person: str):
    """The test client as `person` (anonymous: logged out)."""
    client.logout()
    login = people.login(person)
    if login is not None:
        client.force_login(login)
    return client
