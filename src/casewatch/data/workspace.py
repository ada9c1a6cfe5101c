"""Where loaded case data lives: in memory (the default), or in a working database on disk.

A council's extract fits in memory; all of England's does not (about 200 million rows). Given a work folder, the
loader keeps its tables in a DuckDB database file there and lets DuckDB move what does not fit under the memory
limit to spill files beside it, so the peak memory is the limit rather than the size of the data. The files are
the loader's own: replaced when loading starts and removed when the data is closed.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from casewatch.data.quoting import literal
from casewatch.errors import DataError

WORK_DATABASE = "casewatch-work.duckdb"
SPILL_FOLDER = "casewatch-spill"


@dataclass
class Workspace:
    """A connection and the files made for it (removed by :meth:`remove_files`)."""

    con: duckdb.DuckDBPyConnection
    files: list[Path] = field(default_factory=list)

    def remove_files(self) -> None:
        for path in self.files:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def open_workspace(work_dir: Path | None, memory_limit: str | None) -> Workspace:
    """A new connection: on disk in ``work_dir`` when given, else in memory; spilling beyond ``memory_limit``.

    Raises DataError when the folder cannot be used or the limit is not a size DuckDB understands.
    """
    if work_dir is None:
        con = duckdb.connect()
        space = Workspace(con)
        if memory_limit is not None:
            spill = Path(tempfile.mkdtemp(prefix="casewatch-spill-"))
            space.files.append(spill)
            _configure(space, memory_limit, spill)
        return space
    database = work_dir / WORK_DATABASE
    spill = work_dir / SPILL_FOLDER
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        for stale in (database, Path(f"{database}.wal")):
            stale.unlink(missing_ok=True)
        con = duckdb.connect(str(database))
    except (OSError, duckdb.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc).splitlines()[0]
        raise DataError(f"{work_dir}: cannot be used as the work folder ({reason}).") from exc
    space = Workspace(con, [database, Path(f"{database}.wal"), spill])
    _configure(space, memory_limit, spill)
    return space


def _configure(space: Workspace, memory_limit: str | None, spill: Path) -> None:
    try:
        space.con.execute(f"SET temp_directory = {literal(str(spill))}")
        if memory_limit is not None:
            space.con.execute(f"SET memory_limit = {literal(memory_limit)}")
    except duckdb.Error as exc:
        space.con.close()
        space.remove_files()
        raise DataError(
            f"memory limit {memory_limit!r} is not a size casewatch understands; write it like 12GB or 800MB."
        ) from exc
