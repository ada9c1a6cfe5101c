"""The Python API for analysts' notebooks: the same few operations the command line uses.

>>> import casewatch.api as cw
>>> results = cw.evaluate("england", cw.EXAMPLE_COUNCIL, as_at="2026-10-30")
>>> summary = cw.compliance(results)       # a pyarrow Table, one row per standard (.to_pandas() for pandas)
>>> summary.num_rows
13
>>> results.instances.num_rows > 0         # a pyarrow Table, one row per required occurrence
True

The figures are those of every other output (``casewatch.results``): ``summary`` is the terminal's table and the
workbook's summary sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

import pyarrow as pa

from casewatch.data.load import CaseData, load_case_data
from casewatch.engine import evaluate as evaluate_standards
from casewatch.errors import CasewatchError
from casewatch.results import Results, compliance_summary
from casewatch.standards.loader import load_pack
from casewatch.standards.pack import Pack, Standard

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
) -> Results:
    """Evaluate a pack (or some of its standards) over case data as at the end of a date."""
    day = _date(as_at)
    chosen_pack = load_standards(pack)
    case_data = data if isinstance(data, CaseData) else load_data(data, as_at=day)
    chosen = [chosen_pack.get(s) for s in standards] if standards else list(chosen_pack.standards.values())
    return evaluate_standards(
        chosen,
        case_data.con,
        day,
        allocated_roles=case_data.config.allocated_worker_roles,
        snapshot_tables=case_data.config.snapshot_tables,
        windows=case_data.config.windows,
        codes=case_data.config.codes,
        progress=progress,
    )


def compliance(results: Results) -> pa.Table:
    """Compliance per standard: counts by status and the percentage met of those due."""
    return compliance_summary(results)


def _date(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CasewatchError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-30") from None
