"""Settings come from the environment; production settings are safe and pass check --deploy.

The settings module is read in-process from a clean environment (`settings_from`); only
`check --deploy`, which needs the whole project started with production settings, runs as a
separate process.
"""

import os
import runpy
from unittest import mock

import pytest
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from tests.processes import REPO_ROOT, manage, project_env, read_env_file

PRODUCTION_ENV = read_env_file(REPO_ROOT / "deploy" / "env.example")
SETTINGS_FILE = REPO_ROOT / "kimonokittens" / "settings.py"


def settings_from(**values) -> dict:
    """The settings module's values, read with only `values` (and no .env file) set."""
    with mock.patch.dict(os.environ, project_env(**values), clear=True):
        return runpy.run_path(str(SETTINGS_FILE))


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY is not set"):
        settings_from(DEBUG="false")


def test_debug_on_starts_without_secret_key():
    values = settings_from(DEBUG="true")
    assert values["DEBUG"] is True
    assert values["SECRET_KEY"].startswith("django-insecure-")


def test_documented_production_environment_passes_check_deploy():
    assert PRODUCTION_ENV["DEBUG"] == "false"
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=project_env(**PRODUCTION_ENV)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_when_safety_is_switched_off():
    env = project_env(**PRODUCTION_ENV, SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W008" in result.stderr
    assert "security.W012" in result.stderr


def test_language_time_zone_and_database_default(settings):
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _ in settings.LANGUAGES] == ["sv", "en"]
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_database_url_selects_the_engine():
    values = settings_from(DEBUG="true", DATABASE_URL="postgres://u:p@db.example:5432/kk")
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert values["DATABASES"]["default"]["HOST"] == "db.example"
    values = settings_from(DEBUG="true")
    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_handbook_approvals_come_from_the_environment():
    assert settings_from(DEBUG="true")["HANDBOOK_REQUIRED_APPROVALS"] == 2
    values = settings_from(DEBUG="true", HANDBOOK_REQUIRED_APPROVALS="3")
    assert values["HANDBOOK_REQUIRED_APPROVALS"] == 3


def test_the_admin_lives_at_the_path_the_environment_sets():
    assert settings_from(DEBUG="true")["ADMIN_URL"] == "admin/"
    assert settings_from(DEBUG="true", ADMIN_URL="/kontor-7f3a/")["ADMIN_URL"] == "kontor-7f3a/"


def test_production_settings_throttle_logins_and_check_connections():
    values = settings_from(**PRODUCTION_ENV)
    assert values["AXES_FAILURE_LIMIT"] == 5
    assert values["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]
    assert values["TRUSTED_PROXY_HOPS"] == 1
    assert values["DATABASES"]["default"]["CONN_HEALTH_CHECKS"] is True
    assert values["AUTHENTICATION_BACKENDS"][0] == "kimonokittens.backends.LoginThrottleBackend"
    assert values["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"


def test_cache_url_redis_configures_djangos_redis_cache():
    """The docs tell operators with several workers to share a Redis cache: it must load."""
    values = settings_from(DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/1")
    config = values["CACHES"]["default"]
    # Shared by every worker: sessions are read from it (a logout reaches them all).
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"
    # Building the client imports the `redis` package (a runtime dependency); it connects
    # only on first use, so this needs no Redis server.
    backend = RedisCache(config["LOCATION"], {})
    client = backend._cache
    assert client._lib.__name__ == "redis"
    assert client._servers == ["redis://127.0.0.1:6379/1"]


def test_cache_defaults_to_local_memory():
    values = settings_from(DEBUG="true")
    config = values["CACHES"]["default"]
    # Per process: sessions stay in the database, or a logout would not reach the others.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert config["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_site_url_is_required_in_production_by_check_deploy():
    """Emails link to SITE_URL: no default with DEBUG off, and check --deploy fails on it."""
    assert settings_from(DEBUG="false", SECRET_KEY="k" * 50)["SITE_URL"] == ""
    assert settings_from(DEBUG="true")["SITE_URL"] == "http://127.0.0.1:8000"
    without = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_URL"}
    result = manage("check", "--deploy", env=project_env(**without))
    assert result.returncode != 0
    assert "kimonokittens.E001" in result.stderr and "SITE_URL" in result.stderr
