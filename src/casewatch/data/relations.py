"""Checks that need two tables: references that match nothing, and dates out of order across tables.

These run after every table is loaded, as one anti-join or join per foreign key, so they cost a scan of each
table rather than a lookup per row. They only warn: an orphan visit or a visit dated before the child's birth is
still loaded, because dropping it could make a child look less visited than the record shows.
"""

from __future__ import annotations

import duckdb

from casewatch.data.contract import TABLES, ForeignKey, Ordering, TableSpec
from casewatch.data.quoting import ident, literal
from casewatch.data.stage import ROW


def check_relations(con: duckdb.DuckDBPyConnection, loaded: dict[str, str], issues_table: str) -> None:
    """Report orphans and cross-table order problems for every loaded table.

    ``loaded`` maps each loaded table to the label its issues carry; each loaded table still has its ``__row``.
    A reference to a table that was not given at all is not checked (the table is reported as missing instead).
    """
    for name, label in loaded.items():
        spec = TABLES[name]
        for fk in spec.foreign_keys:
            if fk.ref_table in loaded:
                con.execute(_orphans_sql(spec, fk, label, issues_table))
        for order in spec.orderings:
            if "." in order.earlier:
                fk = via_key(spec, order)
                if fk.ref_table in loaded:
                    con.execute(_cross_order_sql(spec, fk, order, label, issues_table))


def via_key(spec: TableSpec, order: Ordering) -> ForeignKey:
    """The foreign key through which a cross-table ordering reaches its other table."""
    ref_table = order.earlier.split(".", 1)[0]
    ref_pk = TABLES[ref_table].primary_key
    for fk in spec.foreign_keys:
        if fk.ref_table == ref_table and fk.ref_column == ref_pk:
            return fk
    raise KeyError(f"{spec.name}: no foreign key to {ref_table}.{ref_pk} for ordering {order}")


def _orphans_sql(spec: TableSpec, fk: ForeignKey, label: str, issues_table: str) -> str:
    col, ref, ref_col = ident(fk.column), ident(fk.ref_table), ident(fk.ref_column)
    return f"""
        INSERT INTO {issues_table}
        SELECT {literal(spec.name)}, {literal(label)}, t.{ROW}, {literal(fk.column)}, t.{col}, 'warning', 'orphan',
               {literal(f"no matching {fk.ref_table}.{fk.ref_column}")}
        FROM {ident(spec.name)} t
        WHERE t.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {ref} r WHERE r.{ref_col} = t.{col})
    """


def _cross_order_sql(spec: TableSpec, fk: ForeignKey, order: Ordering, label: str, issues_table: str) -> str:
    ref_table, earlier = order.earlier.split(".", 1)
    later = ident(order.later)
    value = (
        f"CAST(t.{later} AS VARCHAR) || ' (' || {literal(order.earlier)} || ' ' "
        f"|| CAST(r.{ident(earlier)} AS VARCHAR) || ')'"
    )
    return f"""
        INSERT INTO {issues_table}
        SELECT {literal(spec.name)}, {literal(label)}, t.{ROW}, {literal(order.later)}, {value}, 'warning',
               'impossible_order', {literal(f"{order.later} is before {order.earlier}")}
        FROM {ident(spec.name)} t JOIN {ident(ref_table)} r ON r.{ident(fk.ref_column)} = t.{ident(fk.column)}
        WHERE t.{later} < r.{ident(earlier)}
    """
