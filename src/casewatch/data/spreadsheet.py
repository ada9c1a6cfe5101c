"""Spreadsheets: text that goes into a cell is never run as a formula, and a workbook is opened with one sentence.

A child's record can carry free text typed by anyone (an exception reason, a note, a worker's name); a cell that
starts with ``=``, ``+``, ``-``, ``@`` or a control character is run by Excel as a formula when a CSV or workbook
is opened (CSV injection). Every file casewatch writes for a spreadsheet passes its text through here: the web
app's downloads, ``casewatch evaluate --out`` and the returns' workbooks. Every workbook casewatch reads is
opened here too, so a renamed CSV or a damaged file is one sentence naming it, never a traceback.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from casewatch.errors import DataError

#: The first characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_STARTS) + "]"


def safe_text(value: Any) -> Any:
    """``value``, with text that would run as a formula quoted by a leading apostrophe (other values as given)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def open_workbook(path: Path, *, read_only: bool = False, data_only: bool = True) -> Workbook:
    """The workbook at ``path``; a file that is not one (a renamed CSV, a damaged download) is a DataError."""
    if not zipfile.is_zipfile(path):
        raise DataError(f"{path} is not an Excel workbook (it is not an .xlsx file inside, perhaps a renamed CSV).")
    try:
        return load_workbook(path, read_only=read_only, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(f"{path} is not a readable Excel workbook ({exc}).") from None


def unguarded_text(value: Any) -> Any:
    """``value`` as it was before :func:`safe_text`: a workbook casewatch wrote and a person filled in comes back
    without the apostrophes the guard added, so a round trip does not grow them."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def safe_table(table: pa.Table) -> pa.Table:
    """Every text column of ``table`` made safe, vectorised (a results table can hold millions of rows)."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.fill_null(pc.match_substring_regex(column, _PATTERN), False)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


__all__ = ["FORMULA_STARTS", "open_workbook", "safe_table", "safe_text", "unguarded_text"]
