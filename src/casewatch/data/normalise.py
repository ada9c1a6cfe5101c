"""Load-time normalisation of one value, as DuckDB SQL expressions (``reference/ssd-data-model.md`` §6.4).

Each function takes the SQL text of a VARCHAR expression and returns the SQL text of the cleaned or parsed
value, so that normalising tens of millions of rows is one vectorised statement instead of a Python loop. The
token lists are module constants because the generated data-contract document and the config validation quote
the very same lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

import sqlglot
from sqlglot import exp

from casewatch.data.quoting import literal, literal_list
from casewatch.data.vocabulary import FALSE_TOKENS, NA_TOKENS, NULL_TOKENS, SPACE_RUN, TRUE_TOKENS, fold

#: SSD placeholder date meaning "no date".
SENTINEL_DATE = "1900-01-01"
#: Dates before this (other than dates of birth) are implausible for case events.
EARLIEST_PLAUSIBLE_DATE = "1950-01-01"

#: Accepted date and date-time shapes (regular expressions), each with how it is parsed: the four-digit-year
#: shapes of ``vocabulary.DateShape`` with ``/`` between day, month and year. An SSD extract is written by the
#: council's own scripts, so the drift the importers tolerate (``01.04.2024``, ``01/04/24``) is an error here.
ISO_PATTERN = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"
UK_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}(:\d{2})?)?"
SLASHED_ISO_PATTERN = r"\d{4}/\d{2}/\d{2}"
UK_FORMATS: tuple[str, ...] = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")

ACCEPTED_DATE_SHAPES: tuple[str, ...] = (
    "YYYY-MM-DD",
    "YYYY-MM-DD HH:MM",
    "YYYY-MM-DD HH:MM:SS[.fff]",
    "YYYY-MM-DDTHH:MM[:SS[.fff]]",
    "DD/MM/YYYY [HH:MM[:SS]]",
    "YYYY/MM/DD",
)

_INT_PATTERN = r"[+-]?\d+(\.0+)?"
_FLOAT_PATTERN = r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?"


def clean_text(expr: str) -> str:
    """Text without leading/trailing spaces, or NULL for an empty value or a placeholder (``SSD_PH``, ``NULL``...).

    Only spaces are trimmed: DuckDB's plain ``trim`` is three times faster than trimming a character set, and
    tabs or line breaks around a value are rare enough to be left to the parse checks.
    """
    trimmed = f"trim({expr})"
    return f"CASE WHEN upper({trimmed}) IN {literal_list(NULL_TOKENS)} THEN NULL ELSE {trimmed} END"


def fold_sql(expr: str) -> str:
    """``vocabulary.fold`` in SQL: runs of ``SPACE_RUN`` as one space, trimmed, upper case.

    The regular expression is the very text Python's ``fold`` uses, and DuckDB's ``upper`` is the letter-by-letter
    mapping ``fold`` copies, so the two forms agree on every value (``tests/data/test_vocabulary.py`` holds them
    against each other).
    """
    return f"upper(trim(regexp_replace({expr}, {literal(SPACE_RUN)}, ' ', 'g'), ' '))"


@cache
def _fold_template() -> exp.Expr:
    return sqlglot.parse_one(fold_sql(":value"), read="duckdb")


def fold_expression(value: exp.Expr) -> exp.Expr:
    """:func:`fold_sql` as a SQLGlot expression, for the queries the engine and the attribution build as trees."""
    return exp.replace_placeholders(_fold_template().copy(), value=value)


def map_codes(text: str, codes: Mapping[str, str]) -> str:
    """Cleaned text with a council's codes replaced by the contract's (the ``codes:`` of ``casewatch.yaml``).

    A value is looked up folded, so ``rha``, ``RHA`` and `` RHA `` are all the council's ``RHA``; a value the
    mapping does not name is kept as it is.
    """
    if not codes:
        return text
    arms = " ".join(f"WHEN {literal(fold(key))} THEN {literal(value)}" for key, value in codes.items())
    return f"CASE {fold_sql(text)} {arms} ELSE {text} END"


def parse_timestamp(text: str) -> str:
    """A TIMESTAMP parsed from cleaned text in one of the accepted shapes; NULL when it is none of them.

    The ISO shapes go through DuckDB's native cast (fast); the regular-expression gate keeps that cast from
    accepting what it would otherwise read leniently (``epoch``, ``infinity``, one-digit months).
    """
    uk = "[" + ", ".join(literal(f) for f in UK_FORMATS) + "]"
    return (
        f"CASE WHEN regexp_full_match({text}, {literal(ISO_PATTERN)}) THEN TRY_CAST({text} AS TIMESTAMP) "
        f"WHEN regexp_full_match({text}, {literal(UK_PATTERN)}) THEN try_strptime({text}, {uk}) "
        f"WHEN regexp_full_match({text}, {literal(SLASHED_ISO_PATTERN)}) "
        f"THEN try_strptime({text}, '%Y/%m/%d') END"
    )


def is_sentinel(parsed: str) -> str:
    """True when a parsed timestamp falls on the SSD placeholder date."""
    return f"(CAST({parsed} AS DATE) = DATE {literal(SENTINEL_DATE)})"


def parse_flag(text: str, extra_true: list[str], extra_false: list[str]) -> str:
    """A BOOLEAN from cleaned text; NULL for anything else (including NA, which :func:`is_na` tells apart)."""
    true_tokens = (*TRUE_TOKENS, *(t.upper() for t in extra_true))
    false_tokens = (*FALSE_TOKENS, *(t.upper() for t in extra_false))
    return (
        f"CASE WHEN upper({text}) IN {literal_list(true_tokens)} THEN TRUE "
        f"WHEN upper({text}) IN {literal_list(false_tokens)} THEN FALSE END"
    )


def is_na(text: str) -> str:
    """True when cleaned text says 'not applicable'."""
    return f"(upper({text}) IN {literal_list(NA_TOKENS)})"


def is_json_object(text: str) -> str:
    """True when cleaned text is a JSON object (``{...}``), false for any other text, NULL for NULL.

    ``json_type`` fails on text that is not JSON at all, so it is asked only once ``json_valid`` has said yes.
    """
    return f"(CASE WHEN json_valid({text}) THEN json_type({text}) = 'OBJECT' WHEN {text} IS NOT NULL THEN FALSE END)"


def json_key(text: str, key: str) -> str:
    """The value of ``key`` in the JSON object held in cleaned text, as text (``"Y"`` -> ``Y``, ``true`` ->
    ``true``); NULL when the text is not a JSON object, the key is missing or its value is ``null``.
    """
    if not re.fullmatch(r"\w+", key):
        raise ValueError(f"JSON key {key!r}: only letters, digits and underscores are supported")
    return f"(CASE WHEN {is_json_object(text)} THEN json_extract_string({text}, {literal('$.' + key)}) END)"


def parse_int(text: str) -> str:
    """A BIGINT from cleaned text; ``12.0`` is accepted, ``12.5`` is not (no silent rounding)."""
    return f"CASE WHEN regexp_full_match({text}, {literal(_INT_PATTERN)}) THEN TRY_CAST({text} AS BIGINT) END"


def parse_float(text: str) -> str:
    """A DOUBLE from cleaned text in plain decimal or exponent notation."""
    return f"CASE WHEN regexp_full_match({text}, {literal(_FLOAT_PATTERN)}) THEN TRY_CAST({text} AS DOUBLE) END"
