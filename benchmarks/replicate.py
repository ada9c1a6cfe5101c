"""An England-sized dataset made of disjoint copies of one generated council, for timing load and evaluation.

    .venv/bin/python -m benchmarks.replicate --council DIR --copies 12 --out DIR

Generating England with ``casewatch synth`` was on course for most of an hour on the shared development machine
(it got under a third of a core); loading and evaluating it is what the 10-minute target is about. Twelve copies
of the 1,000,000-child council, every identifier (each ``*_id`` column and every key the contract joins on)
suffixed with the copy number so that no child, worker or record is shared between copies, have England's row
count and the same value distributions, in a few minutes. The results file labels figures measured this way.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

from casewatch.data.contract import TABLES
from casewatch.data.quoting import ident, literal

#: Identifier-named columns that hold codes shared by every council, not identifiers of records.
_CODES = {"invo_professional_role_id", "excp_standard_id"}


def _key_columns(table: str) -> set[str]:
    spec = TABLES[table]
    keys = {c.name for c in spec.columns if c.name.endswith("_id") and c.type == "string"}
    keys |= {spec.primary_key} if spec.primary_key else set()
    keys |= {fk.column for fk in spec.foreign_keys}
    return keys - _CODES


def replicate(council: Path, copies: int, out: Path) -> dict[str, float]:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    started = time.perf_counter()
    for path in sorted(council.glob("*.parquet")):
        table = path.stem.lower()
        columns = [
            str(r[0]) for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({literal(str(path))})").fetchall()
        ]
        keys = _key_columns(table) if table in TABLES else set()
        renamed = [f"{ident(c)} || '-' || copy AS {ident(c)}" for c in columns if c.lower() in keys]
        replace = f" REPLACE ({', '.join(renamed)})" if renamed else ""
        con.execute(
            f"COPY (SELECT * EXCLUDE (copy){replace} FROM range({copies}) r(copy), read_parquet({literal(str(path))})) "
            f"TO {literal(str(out / path.name))} (FORMAT parquet)"
        )
    con.close()
    return {"copies": copies, "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Disjoint copies of a generated council, as one dataset.")
    parser.add_argument("--council", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=12)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(replicate(args.council, args.copies, args.out))


if __name__ == "__main__":
    main()
