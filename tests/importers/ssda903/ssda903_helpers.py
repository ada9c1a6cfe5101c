"""Building small, deliberately messy 903 CSV files for the importer's tests (all data invented)."""

from __future__ import annotations

import csv
from pathlib import Path

from casewatch.formats.ssda903 import KINDS

#: The files' columns in the DfE's order, from the one definition of the format.
EPISODE_COLUMNS = list(KINDS["episodes"].columns)
HEADER_COLUMNS = list(KINDS["header"].columns)
REVIEW_COLUMNS = list(KINDS["reviews"].columns)
MISSING_COLUMNS = list(KINDS["missing"].columns)


def write_csv(
    path: Path, columns: list[str], rows: list[list[str]], *, bom: bool = False, blank_lines: bool = False
) -> Path:
    """A CSV file as councils send them: optionally with a BOM and blank lines between rows."""
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            if blank_lines:
                handle.write("\r\n")
    return path


def episode(
    child: str, decom: str, rne: str, ls: str, place: str, dec: str = "", rec: str = "", **more: str
) -> list[str]:
    values = {
        "CHILD": child,
        "DECOM": decom,
        "RNE": rne,
        "LS": ls,
        "CIN": more.get("CIN", "N1"),
        "PLACE": place,
        "PLACE_PROVIDER": more.get("PLACE_PROVIDER", "PR1"),
        "DEC": dec,
        "REC": rec,
        "REASON_PLACE_CHANGE": more.get("REASON_PLACE_CHANGE", ""),
        "HOME_POST": "",
        "PL_POST": more.get("PL_POST", "ZZ99 1AA"),
        "URN": more.get("URN", ""),
    }
    return [values[c] for c in EPISODE_COLUMNS]


def read_table(out_dir: Path, table: str) -> list[dict[str, str]]:
    with (out_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def header_of(out_dir: Path, table: str) -> list[str]:
    with (out_dir / f"{table}.csv").open(newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))
