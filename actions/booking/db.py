"""The clinic database: engine, sessions and migrations.

* ``CLINIC_DATABASE_URL`` chooses the database; the default is ``sqlite:///var/clinic.db`` under the
  repository root (the ``var/`` folder is created when needed).
* SQLite runs in WAL mode with a busy timeout and foreign keys on, and every transaction starts with
  ``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing half-way.
* Sessions are made per call from :func:`session_factory`; nothing here keeps a session alive.
  On SQLite every transaction holds the write lock, so never open a second session while one is
  open in the same thread: it would wait for the busy timeout and fail.
* Migrations are alembic scripts in ``actions/booking/migrations``; alembic is configured in code, so
  no ``alembic.ini`` is needed::

      python -m actions.booking.db upgrade        # create or migrate to the newest version
      python -m actions.booking.db current        # print the version the database is at
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from threading import Lock

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = REPO_ROOT / "var"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DATABASE_URL_ENV = "CLINIC_DATABASE_URL"
SQLITE_BUSY_TIMEOUT_SECONDS = 30
# Execution option marking a transaction that only reads: on SQLite it starts with a plain (deferred)
# BEGIN, so with WAL it reads a snapshot without waiting for the write lock that writers take.
READ_ONLY = "clinic_read_only"
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA busy_timeout=30000",  # milliseconds, the same 30 s as SQLITE_BUSY_TIMEOUT_SECONDS
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)

_engines: dict[str, Engine] = {}
_engines_lock = Lock()


def database_url() -> str:
    """The configured database URL; the default SQLite file lives in the repository's var/ folder."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'clinic.db'}"


def make_engine(url: str | None = None, **engine_options) -> Engine:
    """A new engine for ``url`` (default :func:`database_url`), with SQLite tuned for concurrent use."""
    url = url or database_url()
    parsed = make_url(url)
    options = {"future": True, "pool_pre_ping": True, **engine_options}
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_file(parsed.database)
        connect_args = dict(options.pop("connect_args", {}))
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        connect_args.setdefault("check_same_thread", False)
        if _is_file(parsed):
            # Keep connections open between transactions (SQLAlchemy 1.4 opens and closes one per
            # transaction on SQLite; 2.0 pools them like this). Closing the last connection to a WAL
            # database checkpoints and removes the WAL: ~3 ms of every hold, confirmation and search.
            options.setdefault("poolclass", QueuePool)
        engine = create_engine(url, connect_args=connect_args, **options)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, **options)


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (engines pool connections and are meant to be shared)."""
    url = url or database_url()
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def session_factory(engine: Engine | None = None) -> sessionmaker:
    """A factory for short-lived sessions: ``with factory() as session, session.begin(): ...``."""
    return sessionmaker(bind=engine or get_engine(), class_=Session, future=True, expire_on_commit=False)


def _is_file(url) -> bool:
    """A SQLite URL naming a file (not an in-memory database, where each connection has its own)."""
    return bool(url.database) and url.database != ":memory:" and url.query.get("mode") != "memory"


def _prepare_sqlite_file(database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, busy timeout and foreign keys on every connection; BEGIN IMMEDIATE for every transaction
    except those marked :data:`READ_ONLY`, which read a WAL snapshot and never wait for writers.

    pysqlite's own transaction handling is switched off (isolation_level=None) so that SQLAlchemy's
    ``begin`` event can issue ``BEGIN IMMEDIATE``: a transaction takes the write lock up front and a
    competing writer waits up to the busy timeout instead of failing on a read-to-write upgrade.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


# --- migrations -------------------------------------------------------------------------------------


def alembic_config(engine: Engine | None = None):
    """An alembic Config built in code; ``engine`` (or the configured database) is what it migrates."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    """Create or migrate the clinic database to ``revision`` (default: the newest)."""
    from alembic import command

    command.upgrade(alembic_config(engine or get_engine()), revision)


def downgrade(engine: Engine | None = None, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(engine or get_engine()), revision)


def current_revision(engine: Engine | None = None) -> str | None:
    """The migration the database is at, or None for an empty database."""
    from alembic.migration import MigrationContext

    with (engine or get_engine()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the clinic database's migrations have no head revision")
    return head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m actions.booking.db", description="Clinic database migrations")
    parser.add_argument("command", choices=("upgrade", "downgrade", "current"))
    parser.add_argument("revision", nargs="?", help="target revision (upgrade: head, downgrade: base)")
    args = parser.parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    try:
        if args.command == "upgrade":
            upgrade(revision=args.revision or "head")
            print(f"database at {current_revision()} ({_safe_url()})")
        elif args.command == "downgrade":
            downgrade(revision=args.revision or "base")
            print(f"database at {current_revision() or 'empty'} ({_safe_url()})")
        else:
            print(current_revision() or "empty")
    except SQLAlchemyError as exc:
        print(f"error: the clinic database could not be migrated: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _safe_url() -> str:
    """The database URL with any password hidden, for messages."""
    return make_url(database_url()).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
