"""The Python API for analysts' notebooks: the same few operations the command line uses.

>>> import casewatch.api as cw
>>> results = cw.evaluate("england", cw.EXAMPLE_COUNCIL, as_at="2026-10-30")
>>> summary = cw.compliance(results)       # a pyarrow Table, one row per standard (.to_pandas() for pandas)
>>> summary.num_rows
13
>>> results.instances.num_rows > 0         # a pyarrow Table, one row per required occurrence
True
>>> summary.column("period")[0].as_py()     # compliance now: the as-at month so far and the 11 months before
'the last 12 months, 1 November 2025 to 30 October 2026'

The figures are those of every other output (``casewatch.results``): ``summary`` is the terminal's table and the
workbook's summary sheet, and the web app's "compliance now".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

import pyarrow as pa

from casewatch.data.history import history_window
from casewatch.data.load import CaseData, load_case_data
from casewatch.engine import evaluate as evaluate_standards
from casewatch.engine.evaluate import DuckDBRunner, Runner, data_column_types
from casewatch.errors import CasewatchError
from casewatch.results import Period, Results, compliance_summary, parse_period
from casewatch.results import due_in as instances_due_in
from casewatch.standards.loader import load_pack
from casewatch.standards.pack import Pack, Standard
from casewatch.whatif import Change, WhatIf, changed_standards, compare, parse_change, resolve

#: The small synthetic council shipped with casewatch (no real child's data), for trying the API and the commands.
EXAMPLE_COUNCIL = Path(__file__).parent / "examples" / "example_council"
#: The date the example council was generated to be evaluated at.
EXAMPLE_AS_AT = date(2026, 10, 30)


def load_standards(pack: str | Path | Pack, *, readings: Mapping[str, str] | None = None) -> Pack:
    """A pack by shipped name ("england") or folder, validated.

    ``readings`` maps ``"<standard>:<interpretation>"`` to a reading other than the default, for statements the
    source document leaves unclear (``casewatch standards show PACK STANDARD`` lists them).
    """
    if isinstance(pack, Pack):
        if readings:
            raise CasewatchError("give readings when loading the pack, not with an already loaded pack")
        return pack
    return load_pack(pack, readings=readings)


def load_data(
    path: str | Path,
    *,
    as_at: date | str | None = None,
    work_dir: str | Path | None = None,
    memory_limit: str | None = None,
) -> CaseData:
    """Case data from a folder of SSD-named CSV/Parquet files or a .duckdb file, with its quality report.

    For data larger than memory (a whole region or England), ``work_dir`` keeps the tables in a database file
    there and ``memory_limit`` (e.g. ``"8GB"``) caps what is held in RAM; ``CaseData.close()`` removes the files.
    """
    return load_case_data(
        path,
        as_at=_date(as_at) if as_at is not None else None,
        work_dir=Path(work_dir) if work_dir is not None else None,
        memory_limit=memory_limit,
    )


def evaluate(
    pack: str | Path | Pack,
    data: str | Path | CaseData,
    as_at: date | str,
    *,
    standards: Sequence[str] | None = None,
    progress: Callable[[Standard], None] | None = None,
    engine: str | Runner | None = None,
) -> Results:
    """Evaluate a pack (or some of its standards) over case data as at the end of a date.

    ``engine`` is where the queries run: ``"duckdb"`` (the default, embedded) or a PostgreSQL server's URL,
    ``postgresql://USER@HOST:PORT/DB``, the data copied into a scratch schema there that is dropped
    afterwards; or a runner already open (``open_engine``), which the caller closes.
    """
    day = _date(as_at)
    chosen_pack = load_standards(pack)
    if isinstance(engine, str):
        engine_kind(engine)  # a misspelt engine fails before the data is loaded
    case_data = data if isinstance(data, CaseData) else load_data(data, as_at=day)
    chosen = [chosen_pack.get(s) for s in standards] if standards else list(chosen_pack.standards.values())
    if engine is None or isinstance(engine, str):
        runner = open_engine(engine or "duckdb", case_data)
        try:
            return _evaluate(chosen, case_data, day, progress, runner)
        finally:
            runner.close()
    return _evaluate(chosen, case_data, day, progress, engine)


def engine_kind(engine: str) -> str:
    """``"duckdb"`` or ``"postgresql"``: which engine ``engine`` names; any other is one sentence."""
    if engine == "duckdb":
        return engine
    if engine.startswith(("postgresql://", "postgres://")):
        return "postgresql"
    raise CasewatchError(f"unknown engine '{engine}': write duckdb or postgresql://USER@HOST:PORT/DB")


def open_engine(engine: str, data: CaseData) -> Runner:
    """The runner for ``engine`` over loaded data: for PostgreSQL, the data copied into a fresh scratch schema
    (``PostgresRunner.where`` names it); close it to drop the schema."""
    if engine_kind(engine) == "duckdb":
        return DuckDBRunner(data.con)
    from casewatch.engine.postgres import PostgresRunner  # psycopg only for those who ask for it

    return PostgresRunner(engine, data.con, data_column_types(data.con))


def _evaluate(
    standards: Sequence[Standard],
    data: CaseData,
    day: date,
    progress: Callable[[Standard], None] | None = None,
    runner: Runner | None = None,
) -> Results:
    """The engine over loaded data, with the data's own worker roles, snapshot tables, history window and codes."""
    return evaluate_standards(
        list(standards),
        data.con,
        day,
        allocated_roles=data.config.allocated_worker_roles,
        snapshot_tables=data.config.snapshot_tables,
        history=history_window(data.con, data.config, day),
        codes=data.config.codes,
        progress=progress,
        runner=runner,
    )


def compliance(results: Results, period: str | Period | None = None, *, by: str | None = None) -> pa.Table:
    """Compliance per standard over the instances due in a reporting period (compliance now when none is given).

    ``period`` is spelled as on the command line: ``last-month``, ``last-12-months``, ``month 2026-09``,
    ``quarter 2026-Q3`` (calendar), ``quarter 2026-27-Q2`` (financial) or ``financial-year 2025-26``. ``by`` breaks
    the figures down by the ``"team"`` or ``"worker"`` responsible at each due date. Every row names its period.

    >>> results = evaluate("england", EXAMPLE_COUNCIL, as_at="2026-10-30")
    >>> quarter = compliance(results, "quarter 2026-27-Q2")
    >>> quarter.column("period")[0].as_py()
    'financial quarter 2026-27-Q2, 1 July 2026 to 30 September 2026'
    >>> by_team = compliance(results, "last-month", by="team")
    >>> sorted(set(by_team.column_names) - set(quarter.column_names))
    ['team_id']
    >>> compliance(results, "quarter 2026-Q5")
    Traceback (most recent call last):
    casewatch.errors.CasewatchError: 'quarter 2026-Q5' is not a reporting period; write one of ...
    """
    return compliance_summary(results, period, by)


def due_in(results: Results, period: str | Period | None = None) -> pa.Table:
    """The instances a figure over ``period`` counts (those due in it), to see the cases behind a number.

    >>> results = evaluate("england", EXAMPLE_COUNCIL, as_at="2026-10-30", standards=["cla-visits"])
    >>> september = due_in(results, "month 2026-09")
    >>> all(date(2026, 9, 1) <= due <= date(2026, 9, 30) for due in september.column("due_date").to_pylist())
    True
    """
    return instances_due_in(results, period)


def whatif(
    pack: str | Path | Pack,
    data: str | Path | CaseData,
    as_at: date | str,
    changes: Sequence[str | Change],
    *,
    period: str | Period | None = None,
    by: str | None = None,
) -> WhatIf:
    """The pack as it is and as changed, evaluated over the same data, compared per standard (``casewatch.whatif``).

    Each change is ``STANDARD:FIELD=VALUE`` as on the command line (or a ``whatif.Change``); only the standards
    changed are evaluated, since no other can move. ``period`` and ``by`` are those of :func:`compliance`.

    >>> answer = whatif("england", EXAMPLE_COUNCIL, "2026-10-30",
    ...                 ["cla-visits:phases.1.interval=4 weeks", "cla-visits:phases.3.interval=4 weeks"])
    >>> row = answer.rows[0]
    >>> row.standard_id, row.compliance_before > row.compliance_after, row.changed > 0
    ('england.cla-visits', True, True)
    >>> whatif("england", EXAMPLE_COUNCIL, "2026-10-30", ["cla-visits:interval=4 weeks"])
    Traceback (most recent call last):
    casewatch.errors.StandardsError: 'cla-visits' has phases, each with its own interval: set phases.1.interval ...
    """
    day = _date(as_at)
    chosen_pack = load_standards(pack)
    asked = resolve(chosen_pack, [c if isinstance(c, Change) else parse_change(c) for c in changes])
    changed = changed_standards(chosen_pack, asked)
    if isinstance(period, str):
        parse_period(period, day)  # a misspelt period fails before two evaluations
    case_data = data if isinstance(data, CaseData) else load_data(data, as_at=day)
    pairs = list(changed.values()) or [(s, s) for s in chosen_pack.standards.values()]
    before = _evaluate([old for old, _ in pairs], case_data, day)
    after = _evaluate([new for _, new in pairs], case_data, day)
    return compare(before, after, asked, period, by)


def _date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CasewatchError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-30") from None
