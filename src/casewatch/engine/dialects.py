"""The SQL dialects a standard's query is written out in, and the rewriting each needs beyond SQLGlot's own.

The engine builds one SQLGlot tree per standard; SQLGlot renders it for DuckDB, PostgreSQL and Spark SQL as it
stands. SQL Server needs more than a change of spelling, so its rendering first rewrites the tree
(:func:`for_sql_server_2016`): the warehouses councils keep their SSD in run SQL Server 2016 and later
(compatibility level 130), which lacks functions the other targets share, and T-SQL keeps conditions and values
apart where the others let a condition be a value.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from casewatch.data.vocabulary import SPACE_RUN
from casewatch.errors import CasewatchError


@dataclass(frozen=True)
class Dialect:
    """A target a warehouse team can run the standards' SQL on."""

    name: str
    #: The SQLGlot dialect that writes it.
    sqlglot: str
    title: str


DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        Dialect("duckdb", "duckdb", "DuckDB (casewatch's embedded engine)"),
        Dialect("postgres", "postgres", "PostgreSQL"),
        Dialect("spark", "spark", "Spark SQL (Spark 3 and Databricks)"),
        Dialect("tsql", "tsql", "T-SQL for SQL Server 2016 and later (compatibility level 130)"),
    )
}


def dialect(name: str) -> Dialect:
    """The dialect called ``name``; a user's unknown name is one sentence listing the known ones."""
    try:
        return DIALECTS[name]
    except KeyError:
        raise CasewatchError(f"unknown SQL dialect '{name}': choose one of {', '.join(DIALECTS)}") from None


def render(query: exp.Expr, target: Dialect, *, pretty: bool = False, copy: bool = True) -> str:
    """``query`` as SQL of ``target``; ``copy=False`` lets the rendering change a tree built only for it (faster)."""
    tree = query.copy() if copy else query
    if target.name == "tsql":
        tree = for_sql_server_2016(tree)
    return tree.sql(dialect=target.sqlglot, pretty=pretty, copy=False)


# --------------------------------------------------------------------------------------------- SQL Server 2016

#: Text columns in SQL Server need a length (a bare VARCHAR in a CAST is 30 characters, silently cut). Unicode, as
#: explanations quote the packs' titles; 4000 is the longest that is not a large-object type, far beyond any
#: explanation the engine writes.
SQL_SERVER_TEXT = exp.DataType.build("NVARCHAR(4000)", dialect="tsql")

#: The characters SPACE_RUN matches besides the space (the no-break space is Unicode, so NCHAR).
_SPACE_RUN_CHARACTERS = ("\t", "\n", "\r", "\f", "\v", "\xa0")
#: A character no code holds, marking the second and later spaces of a run while runs are collapsed.
_RUN_MARK = 7


def for_sql_server_2016(tree: exp.Expr) -> exp.Expr:
    """Rewrite a query (in place) into what SQL Server 2016 runs, meaning what the other targets mean.

    GREATEST/LEAST (SQL Server 2022) become CASE expressions that, like every other target's, ignore nulls;
    TRIM (2017) becomes LTRIM(RTRIM()); the run-of-spaces REGEXP_REPLACE of ``vocabulary.fold`` (SQL Server has
    no regular expressions) becomes nested REPLACEs; a timestamp plus an interval becomes DATEADD; text types get
    a length; and conditions used as values, or values as conditions, are made explicit (T-SQL has no boolean
    values). Anything else SQL Server 2016 lacks is an error here rather than a file that fails on the server.
    """
    for node in list(tree.walk(bfs=False))[::-1]:  # children before their parents, so rewrites nest
        replacement = _rewritten(node)
        if replacement is not node:
            if node is tree:
                tree = replacement
            else:
                node.replace(replacement)
    for node in list(tree.walk(bfs=False))[::-1]:
        _fit_condition(node)
    newer = sorted({_name(f) for f in tree.find_all(exp.Func) if _name(f) in NEWER_THAN_2016})
    if newer:
        raise CasewatchError(f"the query uses {', '.join(newer)}, which SQL Server 2016 does not have")
    return tree


#: Functions (SQLGlot's classes, or the name of a function SQLGlot does not know) that SQL Server 2016 lacks.
NEWER_THAN_2016 = frozenset(
    {
        "Greatest",
        "Least",
        "Trim",
        "GroupConcat",
        "StringAgg",
        "ArrayAgg",
        "ConcatWs",
        "DateTrunc",
        "TimestampTrunc",
        "DatetimeTrunc",
        "RegexpReplace",
        "RegexpLike",
        "GREATEST",
        "LEAST",
        "TRIM",
        "STRING_AGG",
        "CONCAT_WS",
        "DATE_TRUNC",
        "DATETRUNC",
        "REGEXP_REPLACE",
    }
)


def _name(function: exp.Func) -> str:
    return function.name.upper() if isinstance(function, exp.Anonymous) else type(function).__name__


def _rewritten(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Greatest | exp.Least):
        return _extreme(node)
    if isinstance(node, exp.Trim):
        return _trim(node)
    if isinstance(node, exp.RegexpReplace):
        return _collapse_spaces(node)
    if isinstance(node, exp.Add | exp.Sub) and isinstance(node.expression, exp.Interval):
        return _date_add(node)
    if isinstance(node, exp.DataType) and node.is_type(*exp.DataType.TEXT_TYPES) and not node.expressions:
        return SQL_SERVER_TEXT.copy()
    return node


def _extreme(node: exp.Greatest | exp.Least) -> exp.Expr:
    """GREATEST/LEAST of any number of values as CASE, ignoring nulls as DuckDB, PostgreSQL and Spark do."""
    keep_left: type[exp.Binary] = exp.GTE if isinstance(node, exp.Greatest) else exp.LTE
    values: list[exp.Expr] = [node.this, *node.expressions]
    result = values[0]
    for value in values[1:]:
        left, right = result, value
        result = exp.Case(
            ifs=[
                exp.If(this=exp.Is(this=left.copy(), expression=exp.Null()), true=right.copy()),
                exp.If(this=exp.Is(this=right.copy(), expression=exp.Null()), true=left.copy()),
                exp.If(this=keep_left(this=left.copy(), expression=right.copy()), true=left.copy()),
            ],
            default=right.copy(),
        )
    return result


def _trim(node: exp.Trim) -> exp.Expr:
    chars = node.expression
    if chars is not None and not (isinstance(chars, exp.Literal) and chars.is_string and chars.this == " "):
        raise CasewatchError(f"SQL Server 2016 can trim only spaces, not {chars.sql()}")
    position = node.text("position").upper()
    value: exp.Expr = node.this
    if position != "TRAILING":
        value = exp.Anonymous(this="LTRIM", expressions=[value])
    if position != "LEADING":
        value = exp.Anonymous(this="RTRIM", expressions=[value])
    return value


def _replace(value: exp.Expr, old: exp.Expr, new: exp.Expr) -> exp.Expr:
    return exp.Replace(this=value, expression=old, replacement=new)


def _character(code: int) -> exp.Expr:
    number = exp.Literal.number(code)
    return exp.Chr(expressions=[number]) if code < 128 else exp.Anonymous(this="NCHAR", expressions=[number])


def _collapse_spaces(node: exp.RegexpReplace) -> exp.Expr:
    """``vocabulary.fold``'s REGEXP_REPLACE of SPACE_RUN by one space, in REPLACEs (no regular expressions).

    Each other character of SPACE_RUN becomes a space; then every space is followed by a mark, a mark followed by
    a space is dropped and the remaining marks are dropped, which leaves one space where a run was.
    """
    pattern, replacement = node.expression, node.args.get("replacement")
    if not (pattern is not None and pattern.name == SPACE_RUN and replacement is not None and replacement.name == " "):
        raise CasewatchError(f"SQL Server has no regular expressions, so {node.sql()} cannot be written for it")
    space = exp.Literal.string(" ")
    value = node.this
    for character in _SPACE_RUN_CHARACTERS:
        value = _replace(value, _character(ord(character)), space.copy())
    mark = _character(_RUN_MARK)
    value = _replace(value, space.copy(), exp.DPipe(this=space.copy(), expression=mark.copy()))
    value = _replace(value, exp.DPipe(this=mark.copy(), expression=space.copy()), exp.Literal.string(""))
    return _replace(value, mark.copy(), exp.Literal.string(""))


def _date_add(node: exp.Add | exp.Sub) -> exp.Expr:
    """A timestamp plus (or less) an interval as DATEADD: T-SQL has no interval type."""
    interval = node.expression
    assert isinstance(interval, exp.Interval)
    amount = interval.this
    if isinstance(amount, exp.Literal) and amount.is_string:
        amount = exp.Literal.number(amount.this)
    if isinstance(node, exp.Sub):
        amount = exp.Neg(this=amount)
    unit = interval.args.get("unit")
    return exp.DateAdd(this=node.this, expression=amount, unit=exp.var(unit.name.upper() if unit else "DAY"))


# Conditions and values. T-SQL has no boolean values: a comparison cannot be a CASE branch, an argument or a
# PARTITION BY key, and a value (a CASE, a BIT column) cannot stand where a condition must.


def _is_condition(node: exp.Expr) -> bool:
    if isinstance(node, exp.Paren):
        return _is_condition(node.this)
    if isinstance(node, exp.SubqueryPredicate):  # ANY/ALL are the right side of a comparison
        return False
    return isinstance(node, exp.Predicate | exp.Connector | exp.Not | exp.Boolean)


def _wants_condition(node: exp.Expr) -> bool:
    """Whether SQL Server reads ``node``'s place in its parent as a condition."""
    parent, key = node.parent, node.arg_key
    if parent is None:
        return False
    if isinstance(parent, exp.Paren):
        return _wants_condition(parent)
    if isinstance(parent, exp.Connector | exp.Not):
        return True
    if isinstance(parent, exp.Where | exp.Having | exp.Qualify):
        return key == "this"
    if isinstance(parent, exp.Join):
        return key == "on"
    if isinstance(parent, exp.If) and key == "this":
        case = parent.parent
        return not (isinstance(case, exp.Case) and case.args.get("this") is not None)  # CASE x WHEN value
    return False


def _fit_condition(node: exp.Expr) -> None:
    if isinstance(node, exp.Paren) or node.parent is None:
        return
    wanted = _wants_condition(node)
    if isinstance(node, exp.Boolean):
        if not wanted and not isinstance(node.parent, exp.Is):  # SQLGlot writes IS TRUE as = 1 itself
            node.replace(exp.Literal.number(1 if node.this else 0))
        return
    if _is_condition(node) and not wanted:
        # Three-valued, as the condition was: 1, 0, or null when it is unknown.
        node.replace(
            exp.Case(
                ifs=[
                    exp.If(this=node.copy(), true=exp.Literal.number(1)),
                    exp.If(this=exp.Not(this=exp.Paren(this=node.copy())), true=exp.Literal.number(0)),
                ]
            )
        )
    elif wanted and not _is_condition(node):
        node.replace(exp.EQ(this=node.copy(), expression=exp.Literal.number(1)))
