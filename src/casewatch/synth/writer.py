"""Writing generated tables, chunk by chunk, in exactly the shape of casewatch's data contract.

Each table is one file named after the table (``ssd_cin_episodes.csv`` or ``.parquet``) whose columns are
the contract's columns for that table, in the contract's order - no more, no fewer - so the generator can
never drift from what the loader accepts. Columns the generator does not model are written empty. Files are
opened once and appended to as chunks arrive, which keeps memory bounded however large the council.

CSV follows SSD extract habits: ISO dates, ``YYYY-MM-DD HH:MM:SS`` date-times, Y/N flags. Parquet keeps the
contract's types (date32, timestamp, boolean, int64, float64).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from casewatch.data.contract import TABLES, TableSpec

Format = Literal["csv", "parquet"]
Column: TypeAlias = pa.Array | npt.NDArray[np.generic]
Frame: TypeAlias = dict[str, Column]

_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "date": pa.date32(),
    "datetime": pa.timestamp("s"),
    "bool": pa.bool_(),
    "int": pa.int64(),
    "float": pa.float64(),
}


def flag(values: npt.ArrayLike, present: npt.ArrayLike | None = None) -> pa.Array:
    """A boolean column, null where ``present`` is False."""
    mask = None if present is None else ~np.asarray(present, dtype=bool)
    return pa.array(np.asarray(values, dtype=bool), mask=mask, type=pa.bool_())


def text(values: npt.ArrayLike, present: npt.ArrayLike | None = None) -> pa.Array:
    """A string column, null where ``present`` is False or the value is empty."""
    arr = np.asarray(values).astype(str)
    mask = arr == ""
    if present is not None:
        mask = mask | ~np.asarray(present, dtype=bool)
    return pa.array(arr, mask=mask, type=pa.string())


def _to_arrow(value: Column, kind: str, n: int) -> pa.Array:
    target = _ARROW_TYPES[kind]
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    if not isinstance(value, pa.Array):
        arr: npt.NDArray[np.generic] = np.asarray(value)
        if kind == "date":
            value = pa.array(arr.astype("datetime64[D]"), type=pa.date32())
        elif kind == "datetime":
            value = pa.array(arr.astype("datetime64[s]"), type=pa.timestamp("s"))
        elif kind == "string":
            value = text(arr)
        else:
            value = pa.array(arr, type=target)
    if len(value) != n:
        raise ValueError(f"column has {len(value)} rows, expected {n}")
    if value.type != target:
        value = value.cast(target)
    return value


def conform(spec: TableSpec, frame: Frame) -> pa.Table:
    """The frame as an Arrow table with exactly the contract's columns, typed as the contract says."""
    unknown = sorted(set(frame) - set(spec.column_names))
    if unknown:
        raise ValueError(f"{spec.name}: the generator produced columns the contract lacks: {unknown}")
    sizes = {len(v) for v in frame.values()}
    if len(sizes) > 1:
        raise ValueError(f"{spec.name}: columns of different lengths {sorted(sizes)}")
    n = sizes.pop() if sizes else 0
    arrays = []
    for col in spec.columns:
        if col.name in frame:
            arrays.append(_to_arrow(frame[col.name], col.type, n))
        else:
            arrays.append(pa.nulls(n, _ARROW_TYPES[col.type]))
    schema = pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in spec.columns])
    return pa.Table.from_arrays(arrays, schema=schema)


def _csv_text(col: pa.Array) -> pa.Array:
    """One column as CSV field text: ISO dates, ``YYYY-MM-DD HH:MM:SS``, Y/N flags, quoted only when needed."""
    if col.type == pa.bool_():
        out = pc.if_else(col, "Y", "N")
    elif col.type == pa.timestamp("s"):
        out = pc.cast(col, pa.string())  # "YYYY-MM-DD HH:MM:SS", and far faster than strftime
    elif col.type == pa.string():
        special = pc.match_substring(col, ",")
        for char in ('"', "\n", "\r"):
            special = pc.or_(special, pc.match_substring(col, char))
        if pc.any(special).as_py():
            quoted = pc.binary_join_element_wise('"', pc.replace_substring(col, '"', '""'), '"', "")
            out = pc.if_else(special, quoted, col)
        else:
            out = col
    else:
        out = pc.cast(col, pa.string())
    return pc.fill_null(out, "")


def csv_bytes(table: pa.Table, header: bool) -> bytes:
    """The table as RFC 4180 CSV (LF line ends), with quotes only around values that need them."""
    lines = b""
    if header:
        lines = (",".join(table.column_names) + "\n").encode()
    if not table.num_rows:
        return lines
    fields = [_csv_text(c.combine_chunks()) for c in table.columns]
    newline = pa.array(["\n"] * table.num_rows, type=pa.string())
    joined = pc.binary_join_element_wise(*fields, ",")
    rows = pc.binary_join_element_wise(joined, newline, "").cast(pa.large_string())
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset : rows.offset + len(rows) + 1]
    data = rows.buffers()[2]
    assert data is not None
    return lines + bytes(data.to_pybytes()[int(offsets[0]) : int(offsets[-1])])


class TableWriter:
    """All the output files of one generation run, appended to chunk by chunk.

    ``write`` holds a table's rows until ``flush``, so each chunk becomes one append (one Parquet row group
    per table) rather than many small ones; rows are written in the order they were given, so how often the
    caller flushes never changes the data, only the memory held and the Parquet row-group layout.
    """

    def __init__(self, out_dir: Path, fmt: Format, tables: list[str]) -> None:
        self.out_dir = out_dir
        self.fmt = fmt
        self.rows: dict[str, int] = dict.fromkeys(tables, 0)
        self._pending: dict[str, list[pa.Table]] = {name: [] for name in tables}
        self._csv: dict[str, BinaryIO] = {}
        self._parquet: dict[str, pq.ParquetWriter] = {}
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in tables:
            spec = TABLES[name]
            empty = conform(spec, {})
            path = out_dir / f"{name}.{fmt}"
            if fmt == "csv":
                self._csv[name] = path.open("wb")
                self._csv[name].write(csv_bytes(empty, header=True))
            else:
                self._parquet[name] = pq.ParquetWriter(path, empty.schema, compression="zstd")

    def write(self, name: str, frame: Frame) -> None:
        self.write_table(name, conform(TABLES[name], frame))

    def write_table(self, name: str, table: pa.Table) -> None:
        """Hold rows already in the contract's shape (``conform``) until the next ``flush``."""
        if not table.num_rows:
            return
        self.rows[name] += table.num_rows
        self._pending[name].append(table)

    def flush(self) -> None:
        """Append every table's held rows to its file."""
        for name, parts in self._pending.items():
            if not parts:
                continue
            table = parts[0] if len(parts) == 1 else pa.concat_tables(parts)
            parts.clear()
            if self.fmt == "csv":
                self._csv[name].write(csv_bytes(table, header=False))
            else:
                self._parquet[name].write_table(table)

    def close(self) -> None:
        """Close every file (rows held but not flushed are not written: call ``flush`` first)."""
        for w in self._csv.values():
            w.close()
        for p in self._parquet.values():
            p.close()
