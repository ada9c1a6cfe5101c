"""Values that arrive already typed (a Parquet DATE, a DuckDB BOOLEAN) and so need no text parsing.

The loader's one definition of a value is the text path: turn the value into text, clean it, parse it
(:mod:`casewatch.data.normalise`). For a typed column that path is slow (a regular expression and two casts per
value) and its outcome is known in advance, so these expressions give the same parsed value straight from the
typed one. "The same" is exact, including the corner cases: a DATE whose text would not have matched an accepted
shape (year 0 or 10000, infinity) parses to NULL here too, so it is still reported as a bad date. The text of a
typed value, quoted in an issue, is its ``CAST ... AS VARCHAR`` in both paths. Derived columns always take the
text path, because they are filled from text (another table's key, a JSON value) before parsing.
"""

from __future__ import annotations

from casewatch.data.config import DataConfig
from casewatch.data.contract import ColumnSpec
from casewatch.data.vocabulary import FALSE_TOKENS, TRUE_TOKENS

#: Integer types whose every value prints as ``[+-]digits`` and fits a BIGINT.
_INTEGER_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"})

#: The range whose dates and times print as four-digit years (the only ones the text path accepts).
_FIRST = "0001-01-01"
_LAST_DATE = "9999-12-31"
_LAST_TIME = "9999-12-31 23:59:59.999999"


def is_native(col: ColumnSpec, source_type: str) -> bool:
    """True when ``col`` can be parsed straight from a source column of ``source_type`` (a DuckDB type name)."""
    upper = source_type.upper()
    if col.type in ("date", "datetime"):
        return upper in ("DATE", "TIMESTAMP")
    if col.type == "bool":
        return upper == "BOOLEAN"
    if col.type == "int":
        return upper in _INTEGER_TYPES
    if col.type == "float":
        return upper == "DOUBLE"
    return False


def parse_native(col: ColumnSpec, source_type: str, value: str, config: DataConfig) -> str:
    """SQL for the value the text path would parse from ``value`` (a typed column); NULL where it would fail."""
    upper = source_type.upper()
    if col.type in ("date", "datetime"):
        last = _LAST_DATE if upper == "DATE" else _LAST_TIME
        return f"CASE WHEN {value} BETWEEN {upper} '{_FIRST}' AND {upper} '{last}' THEN CAST({value} AS TIMESTAMP) END"
    if col.type == "bool":
        return f"CASE WHEN {value} THEN {_flag('TRUE', config)} WHEN NOT {value} THEN {_flag('FALSE', config)} END"
    if col.type == "int":
        return f"CAST({value} AS BIGINT)"
    if col.type == "float":
        return f"CASE WHEN isfinite({value}) THEN {value} END"
    raise ValueError(f"{col.name}: no native parse for {col.type} from {source_type}")


def _flag(text: str, config: DataConfig) -> str:
    """What the text path makes of a flag's text: a council may list TRUE or FALSE among its own spellings."""
    true_tokens = {*TRUE_TOKENS, *(t.upper() for t in config.seen_values)}
    false_tokens = {*FALSE_TOKENS, *(t.upper() for t in config.not_seen_values)}
    if text in true_tokens:
        return "TRUE"
    if text in false_tokens:
        return "FALSE"
    return "CAST(NULL AS BOOLEAN)"
