"""The scratch PostgreSQL databases the benchmarks are pointed at."""

from __future__ import annotations


def ensure_postgres_database(url: str) -> None:
    """Create the scratch PostgreSQL database the benchmark was pointed at."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
