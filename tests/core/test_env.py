import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from jalon.core.dburl import parse_database_url
from jalon.core.env import Environment


def test_debug_is_off_unless_set():
    assert Environment({}).get_bool("DEBUG") is False
    assert Environment({"DEBUG": "1"}).get_bool("DEBUG") is True


def test_a_malformed_boolean_is_refused_with_its_name():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        Environment({"DEBUG": "peut-être"}).get_bool("DEBUG")


def test_production_lists_every_missing_required_variable():
    env = Environment({"JALON_ENV": "production"})
    env.get_str("SECRET_KEY", required_in_production=True)
    env.get_list("ALLOWED_HOSTS", required_in_production=True)
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS, SECRET_KEY"):
        env.check()


def test_development_falls_back_to_defaults():
    env = Environment({})
    assert env.get_str("SECRET_KEY", default="dev", required_in_production=True) == "dev"
    env.check()


def test_prefixed_reads_one_provider_accounts_variables():
    env = Environment(
        {"JALON_SMS_LINK_URL": "https://a", "JALON_SMS_LINK2_URL": "https://b", "OTHER": "x"}
    )
    assert env.prefixed("JALON_SMS_LINK_") == {"JALON_SMS_LINK_URL": "https://a"}
    assert env.prefixed("JALON_SMS_LINK2_") == {"JALON_SMS_LINK2_URL": "https://b"}


def test_no_module_reads_the_environment_but_env_py_and_the_launchers():
    """Configuration goes through jalon/core/env.py; only the entry points set defaults."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "jalon"
    launchers = {"core/env.py", "dev.py", "asgi.py", "wsgi.py"}
    readers = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ("os.environ" in path.read_text() or "os.getenv" in path.read_text())
        and str(path.relative_to(root)) not in launchers
    ]
    assert readers == []


def test_unknown_environment_kind_is_refused():
    with pytest.raises(ImproperlyConfigured):
        Environment({"JALON_ENV": "staging"})


def test_database_url_with_socket_host():
    db = parse_database_url("postgresql://postgres:@/jalon?host=/tmp/pg")
    assert (db["NAME"], db["HOST"], db["USER"]) == ("jalon", "/tmp/pg", "postgres")


def test_database_url_with_tcp_host_and_options():
    db = parse_database_url("postgres://u:p%40ss@db.example:6543/prod?sslmode=require")
    assert (db["HOST"], db["PORT"], db["PASSWORD"], db["OPTIONS"]) == (
        "db.example",
        "6543",
        "p@ss",
        {"sslmode": "require"},
    )


def test_database_url_must_be_postgresql():
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        parse_database_url("sqlite:///db.sqlite3")


def _settings_in(environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='jalon.settings'; "
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS, settings.CSRF_COOKIE_SECURE)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", **environ},
        capture_output=True,
        text=True,
    )


def test_production_start_up_stops_with_a_clear_message_when_a_variable_is_missing():
    result = _settings_in({"JALON_ENV": "production", "ALLOWED_HOSTS": "jalon.example"})
    assert result.returncode != 0
    assert "Missing required environment variable(s) for production" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_turns_on_secure_cookies_and_hsts():
    result = _settings_in(
        {
            "JALON_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "jalon.example",
            "DATABASE_URL": "postgres://u@db/jalon",
            "SITE_URL": "https://jalon.example",
            "DEFAULT_FROM_EMAIL": "jalon@jalon.example",
            "JALON_SMS_PROVIDER": "linkmobility",
            "JALON_SMS_WEBHOOK_SECRET": "s" * 40,
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "31536000", "True"]
