"""Who may see what: walk URLs as each of the household's people (tests/people.py) and compare
the outcomes with a table written in the test.

An outcome is the status code, or for a redirect where it leads: LOGIN (the site's login page,
coming back to the URL), ADMIN_LOGIN (the admin's), or "302 <location>".
"""

from __future__ import annotations

from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver

from tests.people import PERSONS, People, log_in

LOGIN = "login"
ADMIN_LOGIN = "admin login"


def outcome(response, url: str):
    if response.status_code not in (301, 302):
        return response.status_code
    location = response["Location"]
    if location == f"/konto/logga-in/?next={quote(url)}":
        return LOGIN
    if location == f"/admin/login/?next={quote(url)}":
        return ADMIN_LOGIN
    return f"{response.status_code} {location}"


def walk(client, people: People, urls: dict[str, str], method: str = "get") -> dict[str, tuple]:
    """{label: (outcome for each of PERSONS)} for every URL, asked with `method`."""
    table = {label: [] for label in urls}
    for person in PERSONS:
        log_in(client, people, person)
        for label, url in urls.items():
            table[label].append(outcome(getattr(client, method)(url), url))
    return {label: tuple(outcomes) for label, outcomes in table.items()}


def differences(actual: dict[str, tuple], expected: dict[str, tuple]) -> dict[str, dict]:
    """Only the cells that differ, by label and person: an empty dict when all agree."""
    found = {}
    for label in sorted(set(actual) | set(expected)):
        got, want = actual.get(label), expected.get(label)
        if got is None or want is None:
            found[label] = {"actual": got, "expected": want}
            continue
        cells = {
            person: {"actual": a, "expected": e}
            for person, a, e in zip(PERSONS, got, want, strict=True)
            if a != e
        }
        if cells:
            found[label] = cells
    return found


def url_names(namespace: str) -> set[str]:
    """The names of every URL pattern under a namespace, from the URL resolver."""
    resolver = get_resolver().namespace_dict[namespace][1]
    names = set()

    def visit(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                visit(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    visit(resolver.url_patterns)
    return names


def label_names(labels) -> set[str]:
    """A table's labels name their URL: "statement" or "statement: whose" for a variant."""
    return {label.split(":")[0] for label in labels}
