"""Settings come from the environment; production settings are safe and pass check --deploy."""

from tests.processes import REPO_ROOT, manage, project_env, read_env_file

PRODUCTION_ENV = read_env_file(REPO_ROOT / "deploy" / "env.example")


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = manage("check", env=project_env(DEBUG="false"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_on_starts_without_secret_key():
    result = manage("check", env=project_env(DEBUG="true"))
    assert result.returncode == 0, result.stderr


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
    script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = project_env(DEBUG="true", DATABASE_URL="postgres://u:p@db.example:5432/kk")
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "django.db.backends.postgresql"
    result = manage("shell", "--no-imports", "-c", script, env=project_env(DEBUG="true"))
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_handbook_approvals_come_from_the_environment():
    script = "from django.conf import settings; print(settings.HANDBOOK_REQUIRED_APPROVALS)"
    result = manage("shell", "--no-imports", "-c", script, env=project_env(DEBUG="true"))
    assert result.stdout.strip() == "2"
    env = project_env(DEBUG="true", HANDBOOK_REQUIRED_APPROVALS="3")
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "3"


def test_the_admin_lives_at_the_path_the_environment_sets():
    script = "from django.urls import reverse; print(reverse('admin:index'))"
    result = manage("shell", "--no-imports", "-c", script, env=project_env(DEBUG="true"))
    assert result.stdout.strip() == "/admin/"
    env = project_env(DEBUG="true", ADMIN_URL="/kontor-7f3a/")
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.stdout.strip() == "/kontor-7f3a/"


def test_production_settings_throttle_logins_and_check_connections():
    script = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS, s.TRUSTED_PROXY_HOPS, "
        "s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "s.AUTHENTICATION_BACKENDS[0], s.MIDDLEWARE[-1])"
    )
    result = manage("shell", "--no-imports", "-c", script, env=project_env(**PRODUCTION_ENV))
    assert result.stdout.split() == [
        "5",
        "['username',",
        "'ip_address']",
        "1",
        "True",
        "kimonokittens.backends.LoginThrottleBackend",
        "axes.middleware.AxesMiddleware",
    ], result.stderr
