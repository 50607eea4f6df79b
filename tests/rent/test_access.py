"""Who may see what on the rent app's pages: every URL the app routes, asked as each of the
household's people (tests/people.py), with the one outcome each must get."""

from tests.access import LOGIN, differences, label_names, url_names, walk

NO_SUCH_TENANT = 999_999

# fmt: off
EXPECTED = {
    #                                   anonymous member treasurer moved_out no_tenant
    "coming":                           (LOGIN,    200,   200,      403,      403),
    "history":                          (LOGIN,    200,   200,      403,      403),
    "items":                            (LOGIN,    200,   200,      403,      403),
    # A member sees their own statement, the treasurer everyone's; a tenant who moved out
    # still reads their own (they may owe or be owed), and nothing else of the house.
    "statement: the member's":          (LOGIN,    200,   200,      403,      403),
    "statement: the moved-out tenant's": (LOGIN,   403,   200,      200,      403),
    "statement: no such tenant":        (LOGIN,    404,   404,      403,      403),
    "statement_csv: the member's":      (LOGIN,    200,   200,      403,      403),
    "statement_csv: the moved-out tenant's": (LOGIN, 403, 200,      200,      403),
    "statement_csv: no such tenant":    (LOGIN,    404,   404,      403,      403),
}
# fmt: on


def urls(people) -> dict[str, str]:
    tenants = {
        "the member's": people.member_tenant.pk,
        "the moved-out tenant's": people.moved_out_tenant.pk,
        "no such tenant": NO_SUCH_TENANT,
    }
    found = {"coming": "/hyra/", "history": "/hyra/historik/", "items": "/saker/"}
    for whose, pk in tenants.items():
        found[f"statement: {whose}"] = f"/hyra/{pk}/"
        found[f"statement_csv: {whose}"] = f"/hyra/{pk}/csv/"
    return found


def test_every_rent_url_has_its_row_in_the_table():
    assert label_names(EXPECTED) == url_names("rent")


def test_who_may_see_each_rent_page(client, people):
    assert differences(walk(client, people, urls(people)), EXPECTED) == {}
