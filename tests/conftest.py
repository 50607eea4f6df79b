import os
from pathlib import Path

import pytest
from django.utils import translation

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
def _fast_password_hasher(settings):
    """Creating a login with the real hasher takes most of a second; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def async_unsafe_allowed(monkeypatch):
    """Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
    inside one unless told it is safe (it is: the loop only talks to the browser). Only for the
    browser tests that use this fixture, and only while each runs."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
