"""One statement that types every value of a staged table and lists what is wrong with each row.

The statement is built from the contract, column by column, in four layers so that each value is cleaned and
parsed exactly once however many checks read it:

1. clean: trim, placeholders to NULL, derived columns filled from another table or from a key of a JSON column;
2. parse: text to date, flag or number (NULL when it does not parse), a council's codes to the standards' own;
3. settle: the SSD placeholder date becomes NULL; this is the value that is loaded;
4. judge: a list of issues per row (only built for rows that have any) and whether the row must be rejected.

Row-level issues that need only the row itself are found here; those that need other tables (orphans, dates
before a date of birth) are found once every table is loaded (:mod:`casewatch.data.relations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casewatch.data import normalise as nz
from casewatch.data.config import DataConfig
from casewatch.data.contract import SQL_TYPES, ColumnSpec, Derivation, JsonKeyDerivation, TableSpec
from casewatch.data.native import is_native, parse_native
from casewatch.data.quoting import ident, literal
from casewatch.data.stage import ROW

ISSUES = "__issues"
ERROR = "__error"


@dataclass(frozen=True)
class _Check:
    """One condition on a row and the issue it raises."""

    condition: str
    column: str
    value: str  # SQL text of the value quoted in the report
    severity: str  # error | warning | info
    code: str
    reason: str


def typed_select(
    spec: TableSpec,
    rows_sql: str,
    present: set[str],
    derivations: list[Derivation],
    config: DataConfig,
    as_at: date,
    native: dict[str, str] | None = None,
) -> str:
    """SELECT producing ``__row``, every contract column typed, ``__issues`` and ``__error``.

    ``present`` names the contract columns the source has; ``derivations`` are those whose source table is loaded.
    JSON-key derivations apply whenever the source has their JSON column. ``native`` maps the columns that
    ``rows_sql`` gives typed rather than as text to their DuckDB type (see :func:`native_columns`).
    """
    native = native or {}
    cols = list(spec.columns)
    idx = {c.name: i for i, c in enumerate(cols)}
    derived = {d.column for d in derivations}
    json_keys = [k for k in spec.json_derivations if k.json_column in present]

    clean = [f"s.{ROW}"]
    for i, c in enumerate(cols):
        raw = f"s.{ident(c.name)}" if c.name in present else "CAST(NULL AS VARCHAR)"
        clean.append(f"{raw} AS r{i}")
        clean.append(f"{raw if c.name in native else nz.clean_text(raw)} AS c{i}")
    layer1 = f"SELECT {', '.join(clean)} FROM ({rows_sql}) s"
    if derivations:
        layer1 = _with_derivations(layer1, derivations, idx)
    if json_keys:
        layer1 = _with_json_keys(layer1, json_keys, idx)

    codes = config.codes.get(spec.name, {})
    parse = [ROW]
    for i, c in enumerate(cols):
        if c.name in native:
            parsed = parse_native(c, native[c.name], f"c{i}", config)
        else:
            parsed = _parsed(c, f"c{i}", config, codes.get(c.name, {}))
        parse += [f"r{i}", f"c{i}", f"{parsed} AS p{i}"]
    layer2 = f"SELECT {', '.join(parse)} FROM ({layer1})"

    settle = [ROW]
    for i, c in enumerate(cols):
        settle += [f"r{i}", f"c{i}", f"p{i}", f"{_settled(c, f'p{i}')} AS v{i}"]
    layer3 = f"SELECT {', '.join(settle)} FROM ({layer2})"

    checks: list[_Check] = []
    for i, c in enumerate(cols):
        checks += _value_checks(c, i, c.name in derived, as_at, c.name in native)
    for order in spec.orderings:
        if "." not in order.earlier:
            checks.append(_order_check(order.earlier, order.later, idx, native))
    checks += [_json_check(k, idx) for k in json_keys]
    checks += [_recoded_check(c, idx[c.name]) for c in cols if codes.get(c.name) and c.name not in native]
    errors = [ch.condition for ch in checks if ch.severity == "error"]
    any_issue = " OR ".join(f"({ch.condition})" for ch in checks) or "FALSE"
    items = ", ".join(
        f"CASE WHEN {ch.condition} THEN {{'col': {literal(ch.column)}, 'val': {ch.value}, "
        f"'sev': {literal(ch.severity)}, 'code': {literal(ch.code)}, 'why': {literal(ch.reason)}}} END"
        for ch in checks
    )
    issues = f"CASE WHEN {any_issue} THEN list_filter([{items}], lambda x: x IS NOT NULL) END" if checks else "NULL"
    error = " OR ".join(f"coalesce({e}, FALSE)" for e in errors) or "FALSE"
    final = [ROW] + [f"v{i} AS {ident(c.name)}" for i, c in enumerate(cols)]
    final += [f"{issues} AS {ISSUES}", f"({error}) AS {ERROR}"]
    return f"SELECT {', '.join(final)} FROM ({layer3})"


def _with_derivations(layer1: str, derivations: list[Derivation], idx: dict[str, int]) -> str:
    """Fill derived columns from their source tables (only where the row's own value is empty).

    A key that maps to more than one value (an ambiguous period of care) derives nothing, so the row is reported
    rather than linked to the wrong child.
    """
    joins = []
    replaces = []
    for n, d in enumerate(derivations):
        alias = f"d{n}"
        lookup = (
            f"SELECT {ident(d.source_key)} AS k, "
            f"CASE WHEN count(DISTINCT {ident(d.source_value)}) = 1 THEN any_value({ident(d.source_value)}) END AS v "
            f"FROM {ident(d.source_table)} WHERE {ident(d.source_key)} IS NOT NULL GROUP BY 1"
        )
        joins.append(f"LEFT JOIN ({lookup}) {alias} ON {alias}.k = l.c{idx[d.via]}")
        target = idx[d.column]
        replaces.append(f"coalesce(l.c{target}, {alias}.v) AS c{target}")
    return f"SELECT l.* REPLACE ({', '.join(replaces)}) FROM ({layer1}) l {' '.join(joins)}"


def _with_json_keys(layer1: str, keys: list[JsonKeyDerivation], idx: dict[str, int]) -> str:
    """Fill columns from a key of a JSON column of the same row (only where the row's own value is empty).

    The key's text is cleaned like any value and then parsed in the next layer as the column's type. The raw
    value quoted in an issue about it (an unrecognised flag, say) names the key and the JSON column it came from,
    since the column it fills may not be in the file at all.
    """
    extracted = ", ".join(
        f"{nz.clean_text(nz.json_key(f'c{idx[k.json_column]}', k.key))} AS j{n}" for n, k in enumerate(keys)
    )
    replaces = []
    for n, k in enumerate(keys):
        t = idx[k.column]
        origin = literal(f" ({k.key} in {k.json_column})")
        replaces.append(f"CASE WHEN c{t} IS NULL AND j{n} IS NOT NULL THEN j{n} || {origin} ELSE r{t} END AS r{t}")
        replaces.append(f"coalesce(c{t}, j{n}) AS c{t}")
    return f"SELECT * REPLACE ({', '.join(replaces)}) FROM (SELECT *, {extracted} FROM ({layer1}))"


def _json_check(key: JsonKeyDerivation, idx: dict[str, int]) -> _Check:
    """A JSON column that is not a JSON object, read because the column it fills was empty, is a warning."""
    t, j = idx[key.column], idx[key.json_column]
    return _Check(
        f"c{t} IS NULL AND NOT {nz.is_json_object(f'c{j}')}",
        key.json_column,
        f"r{j}",
        "warning",
        "bad_json",
        f"not a JSON object, so {key.column} ({key.key}) could not be read from it and is left empty",
    )


def _parsed(col: ColumnSpec, text: str, config: DataConfig, codes: dict[str, str]) -> str:
    if col.type in ("date", "datetime"):
        return nz.parse_timestamp(text)
    if col.type == "bool":
        return nz.parse_flag(text, config.seen_values, config.not_seen_values)
    if col.type == "int":
        return nz.parse_int(text)
    if col.type == "float":
        return nz.parse_float(text)
    return nz.map_codes(text, codes)


def _settled(col: ColumnSpec, parsed: str) -> str:
    if col.type == "date":
        return f"CASE WHEN {nz.is_sentinel(parsed)} THEN NULL ELSE CAST({parsed} AS DATE) END"
    if col.type == "datetime":
        return f"CASE WHEN {nz.is_sentinel(parsed)} THEN NULL ELSE {parsed} END"
    return f"CAST({parsed} AS {SQL_TYPES[col.type]})"


_BAD_VALUE = {
    "date": ("bad_date", "not a recognised date (use YYYY-MM-DD or DD/MM/YYYY)"),
    "datetime": ("bad_date", "not a recognised date or date-time (use YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)"),
    "bool": ("bad_flag", "not a recognised yes/no flag (use Y or N)"),
    "int": ("bad_number", "not a whole number"),
    "float": ("bad_number", "not a number"),
}


def _value_checks(col: ColumnSpec, i: int, derived: bool, as_at: date, native: bool) -> list[_Check]:
    raw, clean, parsed, value = _text(i, native), f"c{i}", f"p{i}", f"v{i}"
    checks: list[_Check] = []
    severity = "error" if col.required else "warning"
    if col.required:
        reason = "required value is missing"
        if derived:
            reason += " (and could not be derived from another table)"
        checks.append(_Check(f"{clean} IS NULL", col.name, raw, "error", "missing_required", reason))
    if col.type == "string":
        return checks
    code, reason = _BAD_VALUE[col.type]
    unparsed = f"{clean} IS NOT NULL AND {parsed} IS NULL"
    if col.type == "bool" and native:
        # TRUE or FALSE: every typed flag parses and none is NA, so the checks below could never fire.
        return checks
    if col.type == "bool":
        checks.append(_Check(f"{unparsed} AND NOT {nz.is_na(clean)}", col.name, raw, severity, code, reason))
        na_severity, na_reason = (
            ("error", "required flag is 'not applicable'")
            if col.required
            else ("info", "flag 'not applicable' (NA) loaded as empty")
        )
        checks.append(
            _Check(f"{clean} IS NOT NULL AND {nz.is_na(clean)}", col.name, raw, na_severity, "flag_na", na_reason)
        )
        return checks
    checks.append(_Check(unparsed, col.name, raw, severity, code, reason))
    if col.type in ("date", "datetime"):
        if col.required:
            checks.append(
                _Check(
                    f"{parsed} IS NOT NULL AND {nz.is_sentinel(parsed)}",
                    col.name,
                    raw,
                    "error",
                    "missing_required",
                    f"required date is the {nz.SENTINEL_DATE} placeholder (no date)",
                )
            )
        if not col.may_predate_1950:
            checks.append(
                _Check(
                    f"{value} IS NOT NULL AND {value} < DATE {literal(nz.EARLIEST_PLAUSIBLE_DATE)}",
                    col.name,
                    raw,
                    "warning",
                    "early_date",
                    "date before 1950 (implausible unless it is a date of birth)",
                )
            )
        if not col.may_be_future:
            checks.append(
                _Check(
                    f"{value} IS NOT NULL AND CAST({value} AS DATE) > DATE {literal(as_at.isoformat())}",
                    col.name,
                    raw,
                    "warning",
                    "future_date",
                    "date after the as-at date",
                )
            )
    return checks


def _recoded_check(col: ColumnSpec, i: int) -> _Check:
    """A value the ``codes:`` of casewatch.yaml replaced is a note: the report says how many rows each mapping
    changed, so an analyst can see a mapping take effect (or find nothing) before trusting a figure on it."""
    return _Check(
        f"c{i} IS NOT NULL AND p{i} IS DISTINCT FROM c{i}",
        col.name,
        f"r{i}",
        "info",
        "recoded",
        "the council's code is replaced by the one the codes: of casewatch.yaml maps it to",
    )


def _order_check(earlier: str, later: str, idx: dict[str, int], native: dict[str, str]) -> _Check:
    e, lt = idx[earlier], idx[later]
    value = f"{_text(lt, later in native)} || ' (' || {literal(earlier)} || ' ' || {_text(e, earlier in native)} || ')'"
    return _Check(f"v{lt} < v{e}", later, value, "warning", "impossible_order", f"{later} is before {earlier}")


def _text(i: int, native: bool) -> str:
    """The value as the user wrote it, for quoting in an issue: a typed value as its text."""
    return f"CAST(r{i} AS VARCHAR)" if native else f"r{i}"


def native_columns(spec: TableSpec, source_types: dict[str, str], derivations: list[Derivation]) -> dict[str, str]:
    """The contract columns to parse straight from their typed source column, with that column's DuckDB type.

    Columns filled from another table or from a JSON key take the text path, since what fills them is text.
    """
    filled = {d.column for d in derivations} | {k.column for k in spec.json_derivations}
    return {
        c.name: source_types[c.name]
        for c in spec.columns
        if c.name in source_types and c.name not in filled and is_native(c, source_types[c.name])
    }
