import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _without_django_env() -> dict:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_"))
    }


def run_manage(*args, **env):
    environment = _without_django_env()
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


class DeploySettingsTests:
    def test_check_deploy_is_clean_with_production_values(self):
        """DEBUG off, a real secret key and hosts: `check --deploy` warns of nothing."""
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_SECRET_KEY="x7" * 30 + "-production-secret-for-the-check",
            DJANGO_ALLOWED_HOSTS="dlresources.example.org",
        )

        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_check_deploy_flags_the_development_key(self):
        """Without DJANGO_SECRET_KEY the deploy check warns about the insecure key."""
        result = run_manage("check", "--deploy", "--fail-level", "WARNING")

        assert result.returncode != 0
        assert "security.W009" in result.stdout + result.stderr

    def test_only_django_debug_turns_debug_on(self):
        code = "from django.conf import settings; print(settings.DEBUG)"

        bare = run_manage("shell", "-v", "0", "-c", code, DEBUG="1")
        named = run_manage("shell", "-v", "0", "-c", code, DJANGO_DEBUG="1")

        assert (bare.stdout.strip(), named.stdout.strip()) == ("False", "True")

    def test_hsts_binds_subdomains_and_preload_lists_only_when_asked(self):
        code = (
            "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS,"
            " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
        )

        default = run_manage("shell", "-v", "0", "-c", code)
        chosen = run_manage(
            "shell",
            "-v",
            "0",
            "-c",
            code,
            DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
            DJANGO_SECURE_HSTS_PRELOAD="1",
        )

        assert default.stdout.split() == ["31536000", "False", "False"]
        assert chosen.stdout.split() == ["31536000", "True", "True"]

    def test_the_site_domain_is_applied_at_every_migrate(self, tmp_path):
        env = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
        }
        code = (
            "from django.contrib.sites.models import Site; "
            "print(*Site.objects.values_list('domain', 'name').get())"
        )

        run_manage("migrate", "-v", "0", DJANGO_SITE_DOMAIN="one.example", **env)
        first = run_manage("shell", "-v", "0", "-c", code, **env)
        run_manage("migrate", "-v", "0", DJANGO_SITE_DOMAIN="two.example", **env)
        second = run_manage("shell", "-v", "0", "-c", code, **env)

        assert first.stdout.split() == ["one.example", "dlresources"]
        assert second.stdout.split() == ["two.example", "dlresources"]


class DatabaseSettingsTests:
    def test_postgres_sessions_plan_for_data_in_memory(self):
        """random_page_cost is 1.1 unless DATABASE_RANDOM_PAGE_COST says else."""
        code = (
            "from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS']['options'])"
        )
        url = "postgres://postgres@127.0.0.1:5432/dlresources"

        default = run_manage("shell", "-v", "0", "-c", code, DATABASE_URL=url)
        chosen = run_manage(
            "shell",
            "-v",
            "0",
            "-c",
            code,
            DATABASE_URL=url,
            DATABASE_RANDOM_PAGE_COST="4",
        )

        assert default.stdout.split()[:2] == ["-c", "random_page_cost=1.1"]
        assert chosen.stdout.split()[:2] == ["-c", "random_page_cost=4"]

    def test_web_statements_are_limited_and_commands_are_not(self):
        """The WSGI application's statements stop after 30 s (DATABASE_STATEMENT_
        TIMEOUT); manage.py's commands (imports, migrations) run unlimited."""
        code = (
            "from django.conf import settings; "
            "print(settings.DATABASES['default']['OPTIONS']['options'])"
        )
        url = "postgres://postgres@127.0.0.1:5432/dlresources"
        served = subprocess.run(
            [sys.executable, "-c", f"import dlresources.wsgi; {code}"],
            cwd=ROOT,
            env={
                **_without_django_env(),
                "DATABASE_URL": url,
                "DJANGO_SECRET_KEY": "x7" * 30 + "-a-production-secret",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )

        command = run_manage("shell", "-v", "0", "-c", code, DATABASE_URL=url)

        assert "statement_timeout=30s" in served.stdout.split(), served.stderr
        assert "statement_timeout=0" in command.stdout.split()

    @pytest.mark.django_db
    def test_a_request_waits_on_the_database_for_bounded_time(self):
        """PostgreSQL stops a statement after 30 s; SQLite waits at most 20 s
        for a writer's lock."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW statement_timeout")
                assert cursor.fetchone() == ("30s",)
            else:
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone() == (20_000,)

    def test_a_server_that_never_answers_fails_the_connection_in_seconds(self):
        """A PostgreSQL that accepts connections and never answers: the
        connection fails after DATABASE_CONNECT_TIMEOUT (5 s), it does not
        hang the request (or the import) for ever."""
        code = (
            "import django; django.setup(); from django.db import connection; "
            "connection.ensure_connection()"
        )
        with socket.socket() as silent:
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            url = f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/x"
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                env={
                    **_without_django_env(),
                    "DJANGO_SETTINGS_MODULE": "dlresources.settings",
                    "DATABASE_URL": url,
                },
                capture_output=True,
                text=True,
                timeout=60,
            )

        assert result.returncode != 0
        assert "OperationalError" in result.stderr
        assert time.monotonic() - started < 20

    def test_cache_keys_name_the_database(self):
        """One cache (files or Redis) shared by sites on two databases keeps
        their catalog versions, pages and facet indexes apart."""
        code = "from django.conf import settings; print(settings.CACHE_KEY_PREFIX)"
        prefixes = [
            run_manage("shell", "-v", "0", "-c", code, DATABASE_URL=url).stdout
            for url in (
                "postgres://postgres@127.0.0.1:5432/one",
                "postgres://postgres@127.0.0.1:5432/two",
                "postgres://postgres@127.0.0.1:5432/one",
                "sqlite:////tmp/one.sqlite3",
            )
        ]

        assert prefixes[0] == prefixes[2]
        assert len(set(prefixes)) == 3
        assert all(p.startswith("dlresources:") for p in prefixes)
