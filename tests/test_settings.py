import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
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

        assert default.stdout.split() == ["-c", "random_page_cost=1.1"]
        assert chosen.stdout.split() == ["-c", "random_page_cost=4"]

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
