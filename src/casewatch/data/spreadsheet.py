"""Text that goes into a spreadsheet cell: never run as a formula.

A child's record can carry free text typed by anyone (an exception reason, a note, a worker's name); a cell that
starts with ``=``, ``+``, ``-``, ``@`` or a control character is run by Excel as a formula when a CSV or workbook
is opened (CSV injection). Every file casewatch writes for a spreadsheet passes its text through here: the web
app's downloads, ``casewatch evaluate --out`` and the returns' workbooks.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

#: The first characters a spreadsheet reads as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PATTERN = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_STARTS) + "]"


def safe_text(value: Any) -> Any:
    """``value``, with text that would run as a formula quoted by a leading apostrophe (other values as given)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
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


__all__ = ["FORMULA_STARTS", "safe_table", "safe_text"]
