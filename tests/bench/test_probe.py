"""bench/probe.py's table of expected answers: every URL the project serves falls under a rule,
every caller has an answer there, and the rules say what the membership and token rules say."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from bench.probe import (
    API_WRITERS,
    CALLERS,
    TOKENS,
    area,
    expected_statuses,
    formula_cells,
    writers,
)

pytestmark = pytest.mark.one_database


def every_pattern():
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry, prefix + route, entry.namespace or namespace)
            else:
                assert isinstance(entry, URLPattern)
                found.append((prefix + route, namespace))

    walk(get_resolver(), "", None)
    return found


def test_every_url_and_caller_has_an_expected_answer():
    patterns = every_pattern()
    assert len(patterns) > 150
    for pattern, namespace in patterns:
        for caller in CALLERS:
            allowed = expected_statuses(caller, pattern, namespace)
            assert allowed, (caller, pattern)
            assert not any(status >= 500 for status in allowed), (caller, pattern)


def test_the_areas_follow_the_namespaces():
    kinds = {pattern: area(pattern, namespace) for pattern, namespace in every_pattern()}
    assert kinds["handbok/"] == "handbook"
    assert kinds["hyra/<int:tenant_id>/"] == "statement"
    assert kinds["admin/rent/tenant/<path:object_id>/change/"] == "admin"
    assert kinds["api/rent/friendly_message"] == "api_hallway"
    assert kinds["api/rent/history"] == "api_read"
    assert kinds["kiosk/"] == "kiosk"
    assert kinds["konto/logga-in/"] == "public"


@pytest.mark.parametrize("caller", sorted(TOKENS | {"anonymous", "deactivated", "kiosk_cookie"}))
def test_a_token_or_no_login_reaches_no_page_but_the_login(caller):
    for pattern, namespace in every_pattern():
        if area(pattern, namespace) in ("handbook", "admin", "rent", "statement"):
            assert expected_statuses(caller, pattern, namespace) == {302}, pattern


def test_outsiders_are_refused_and_a_moved_out_tenant_reads_only_their_statement():
    for caller in ("moved_out", "no_tenant"):
        assert expected_statuses(caller, "handbok/", "handbook") == {403}
        assert expected_statuses(caller, "admin/rent/tenant/", "admin") == {403}
        assert expected_statuses(caller, "api/rent/history", "api") == {401}
        assert expected_statuses(caller, "api/docs/", "api") == {403}  # members only
    assert expected_statuses("member", "api/schema/", "api") == {200}
    assert expected_statuses("moved_out", "hyra/<int:tenant_id>/", "rent", "moved_out") == {200}
    assert 200 not in expected_statuses("moved_out", "hyra/<int:tenant_id>/", "rent", "member")


def test_the_kiosk_reads_the_hallway_only_and_a_member_not_the_treasurers_admin():
    for caller in ("kiosk_cookie", "kiosk_token"):
        assert expected_statuses(caller, "api/rent/friendly_message", "api") == {200}
        for read in ("api/rent", "api/rent/history", "api/rent/roommates", "api/rent/forecast"):
            assert expected_statuses(caller, read, "api") == {403}
    for pattern in ("admin/api/apitoken/", "admin/auth/user/", "admin/rent/tenant/add/"):
        assert 200 not in expected_statuses("member", pattern, "admin"), pattern
    assert 200 in expected_statuses("member", "admin/rent/rentledger/", "admin")


def test_only_the_treasurer_writes_in_the_admin_and_through_the_api():
    assert writers("admin/rent/tenant/<path:object_id>/change/", "admin") == {"treasurer"}
    assert {"treasurer", "treasurer_token"} == API_WRITERS
    assert writers("handbok/forslag/ny/", "handbook") == {"member", "treasurer"}


def test_a_formula_cell_is_found_and_a_negative_number_is_not():
    assert formula_cells([["=HYPERLINK(1)", "-1 400,00", "-3", "'=1+1", "@SUM(A1)"]]) == [
        "=HYPERLINK(1)",
        "@SUM(A1)",
    ]
