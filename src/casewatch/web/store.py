"""The app's store: one SQLite file by default, or a PostgreSQL database for a multi-user deployment.

Everything the pages read lives here (evaluated instances, episodes, allocations, the data-quality report),
together with what the app itself keeps (accounts, sessions, login failures, the audit log, settings) and the
case-file audit's programmes, samples and allocations (tables defined in ``casewatch.qa.store``, a layer below
the web). Pages read only indexed tables, so they answer quickly without re-running the engine. SQLAlchemy Core
keeps one schema and one set of queries for both databases.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.engine import make_url

from casewatch.errors import CasewatchError
from casewatch.qa.store import create_tables as create_audit_tables

DEFAULT_STORE_FILE = "casewatch-store.sqlite"

metadata = MetaData()

# --- what the last load put there -------------------------------------------------------------------------------

meta = Table("cw_meta", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))

children = Table(
    "cw_children",
    metadata,
    Column("person_id", String(64), primary_key=True),
    Column("token", String(32), nullable=False, unique=True),  # the only child reference that appears in URLs
    Column("dob", Date),
    Column("sex", String(16)),
)

workers = Table(
    "cw_workers",
    metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("name", String(200)),
    Column("job_title", String(200)),
    Column("role_category", String(32)),
    Column("team_id", String(64), index=True),
)

teams = Table(
    "cw_teams",
    metadata,
    Column("team_id", String(64), primary_key=True),
    Column("name", String(200)),
)

# One row per open case: the child, the allocated worker (NULL when unallocated) and the team holding it.
open_cases = Table(
    "cw_open_cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("worker_id", String(64), index=True),
    Column("team_id", String(64), index=True),
    Column("since", Date),
)

instances = Table(
    "cw_instances",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subject_type", String(16), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("person_id", String(64)),  # subject_id when the subject is a child
    Column("standard_id", String(128), nullable=False),
    Column("standard_version", Integer),
    Column("episode_id", String(64)),
    Column("sequence", Integer),
    Column("anchor_date", Date),
    Column("due_date", Date),
    Column("due_month", String(7)),  # YYYY-MM of the due date, for month-by-month compliance
    Column("completed_date", Date),
    Column("status", String(16), nullable=False),
    Column("working_days_late", Integer),
    Column("calendar_days_late", Integer),
    Column("worker_id", String(64)),
    Column("team_id", String(64)),
    Column("explanation", Text),
    Column("exception_reason", Text),
    Index("ix_cw_instances_standard", "standard_id", "status"),
    Index("ix_cw_instances_worker", "worker_id", "status"),
    Index("ix_cw_instances_team", "team_id", "status"),
    Index("ix_cw_instances_person", "person_id"),
    Index("ix_cw_instances_due", "standard_id", "due_month"),
    # A reporting period is a range of due dates (casewatch.results.periods): each page's figures read this.
    Index("ix_cw_instances_due_date", "standard_id", "due_date", "status"),
)

episodes = Table(
    "cw_episodes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # CIN, CP, Care, Placement
    Column("episode_id", String(64)),
    Column("start_date", Date),
    Column("end_date", Date),
    Column("detail", String(200)),
)

# What the data could not support, per standard: the caveats every figure of that standard carries
# (``casewatch.results.Results``: not evaluated at all, judged on latest records only, instances left out, codes
# the data does not hold as the standard reads them).
standard_notes = Table(
    "cw_standard_notes",
    metadata,
    Column("standard_id", String(128), primary_key=True),
    Column("not_evaluated", Text),
    Column("limited", Text),
    Column("out_of_window", Text),
    Column("code_limits", Text),
)

quality_tables = Table(
    "cw_quality_tables",
    metadata,
    Column("table_name", String(64), primary_key=True),
    Column("file", Text),
    Column("rows_read", Integer),
    Column("rows_loaded", Integer),
    Column("rows_rejected", Integer),
    Column("warnings", Integer),
    Column("notes", Integer),
)

quality_issues = Table(
    "cw_quality_issues",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("severity", String(16)),
    Column("table_name", String(64)),
    Column("column_name", String(128)),
    Column("reason", Text),
    Column("rows", Integer),
    Column("examples", Text),
)

LOADED_TABLES = (
    meta,
    workers,
    teams,
    open_cases,
    instances,
    episodes,
    standard_notes,
    quality_tables,
    quality_issues,
)

# --- what the app keeps ----------------------------------------------------------------------------------------

users = Table(
    "cw_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", Text),  # NULL for accounts that sign in only through the identity provider
    Column("role", String(32), nullable=False),
    Column("worker_id", String(64)),
    Column("team_id", String(64)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)

sessions = Table(
    "cw_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the cookie value; the value itself is not kept
    Column("user_id", Integer, nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen", DateTime, nullable=False),
)

login_failures = Table(
    "cw_login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_cw_login_failures_key", "key", "at"),
)

audit_log = Table(
    "cw_audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),  # UTC (casewatch.web.audit.utc_now)
    Column("username", String(100), nullable=False),
    Column("role", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", Text, nullable=False),
    Column("detail", Text),
    # Where the request came from (casewatch.web.security.client_address) and the browser it named; NULL outside a
    # request and in entries written before these columns existed.
    Column("client_address", String(64)),
    Column("user_agent", Text),
    # The hash chain (see casewatch.web.audit): the previous entry's hash, and this entry's own.
    Column("prev_hash", String(64)),
    Column("entry_hash", String(64)),
    # The audit page filters by action or by person, newest first.
    Index("ix_cw_audit_log_action", "action", "id"),
    Index("ix_cw_audit_log_username", "username", "id"),
)

# The secrets of an OpenID Connect sign-in in progress, keyed by its state (kept here so any process can finish it).
oidc_pending = Table(
    "cw_oidc_pending",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("nonce", String(64), nullable=False),
    Column("verifier", String(100), nullable=False),
    Column("next_path", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

settings = Table(
    "cw_settings", metadata, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False)
)


def store_url(store: str | None, folder: Path) -> str:
    """The SQLAlchemy URL for ``--store``: a PostgreSQL URL, a SQLite file path, or the default file in ``folder``."""
    if not store:
        return f"sqlite:///{(folder / DEFAULT_STORE_FILE).resolve()}"
    if store.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + store.split("://", 1)[1]
    if store.startswith(("postgresql+", "sqlite:")):
        return store
    if "://" in store:
        raise CasewatchError(f"--store '{store}' is neither a postgresql:// URL nor a file path")
    return f"sqlite:///{Path(store).resolve()}"


def open_store(url: str) -> Engine:
    """Connect to the store at ``url`` and create any missing table; the engine is safe to share across threads."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    try:
        metadata.create_all(engine)
        create_audit_tables(engine)  # the case-file audit's tables (casewatch.qa.store), in the same database
        _upgrade(engine)
    except Exception as exc:  # a wrong URL, an unreachable server, a read-only folder
        raise CasewatchError(f"cannot open the store {parsed.render_as_string(hide_password=True)}: {exc}") from None
    return engine


def _upgrade(engine: Engine) -> None:
    """Bring a store made by an earlier version up to date: create_all adds missing tables, not columns or indexes.

    Only nullable columns are ever added, so the rows already there stay valid (older audit entries simply have no
    hash, and the chain check counts them as written before the chain began).
    """
    present = inspect(engine)
    for table in (audit_log, instances):
        have = {c["name"] for c in present.get_columns(table.name, schema=table.schema)}
        for column in table.columns:
            if column.name not in have and column.nullable:
                kind = column.type.compile(dialect=engine.dialect)
                with engine.begin() as conn:
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        for index in table.indexes:
            index.create(engine, checkfirst=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
