import os
from pathlib import Path

import pytest
from django.utils import translation

from tests.browser import chromium_browser
from tests.builders import as_a_new_worker
from tests.people import People, make_people, make_treasurer

# The admin modules import names from this plugin of fixtures before naming it in
# `pytest_plugins`; registered here, it is loaded with assertion rewriting either way.
pytest.register_assert_rewrite("tests.admin_helpers")

REPO_ROOT = Path(__file__).resolve().parents[1]
# The household's real files, beside the repo root (read-only, never copied into the repo).
REAL_DATA_DIR = REPO_ROOT.parent / "shared" / "kimonokittens-data"


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The real data folder; skipped with a reason where it is absent, but never under CI."""
    if not REAL_DATA_DIR.is_dir():
        reason = f"the household's real data is not at {REAL_DATA_DIR}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, and CI must run the real-data tests")
        pytest.skip(reason)
    return REAL_DATA_DIR


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Pages render `{% static %}` from the apps' folders: tests never run collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in another language leaves it active in the thread; every test starts in the
    default language (Swedish), as code outside a request sees it."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, as a new worker does: what one test kept (a page's
    HTML under its text's hash, a month under a data version, a login read in this process) is
    not served in the next."""
    as_a_new_worker()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Creating a login with the real hasher takes most of a second; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db) -> People:
    """The household's people (tests/people.py): a member, the treasurer, a tenant who moved
    out, a login with no tenant; anonymous is None."""
    return make_people()


@pytest.fixture
def treasurer(db):
    """The treasurer ("kassor", group Kassör, no tenant)."""
    return make_treasurer()


@pytest.fixture
def async_unsafe_allowed(monkeypatch):
    """Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
    inside one unless told it is safe (it is: the loop only talks to the browser). Only for a
    browser test that starts its own Chromium, and only while it runs."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def _module_chromium():
    """One Chromium for a module of browser tests: a launch costs about a CPU second, and each
    test gets windows of its own (`browser`). Playwright's event loop runs from the module's
    first browser test to its end, so the ORM is told it is safe for that long (see
    `async_unsafe_allowed`); only modules whose tests all drive the browser use this."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with chromium_browser() as browser:
            yield browser


@pytest.fixture
def browser(_module_chromium):
    """The module's Chromium; the windows a test opened are closed after it (a kiosk left open
    would go on polling the next test's server)."""
    yield _module_chromium
    for context in _module_chromium.contexts:
        context.close()


# `make test` runs the tests that touch a database on SQLite and on PostgreSQL, and those that
# touch none once, in a third run beside them (scripts/test.sh): a second database proves
# nothing new for a pure rule or a process with its own database.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_addoption(parser):
    parser.addoption(
        "--database-free",
        choices=("run", "skip", "only"),
        default="run",
        help="the tests that touch no database: run them with the rest (default), skip them, "
        "or run only them (scripts/test.sh splits the suite so).",
    )


def uses_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        return marker.kwargs.get("databases") != []  # `databases=[]`: none of the project's
    return bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config, items):
    choice = config.getoption("database_free")
    if choice == "run":
        return
    wanted = choice == "skip"  # skip: keep the tests that use a database
    kept, left_out = [], []
    for item in items:
        (kept if uses_database(item) == wanted else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
