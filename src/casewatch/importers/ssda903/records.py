"""Input rows and the value parsing every 903 mapping shares.

CSV and XML readers both produce :class:`InputRow` s, so the mapping code never knows which form it is reading.
A value that cannot be used becomes an :class:`~casewatch.importers.report.ImportProblem` located by file, line
and column (for XML, the column is an element path such as ``CHILD[3]/EPISODE[2]/DECOM``), so an analyst can find
it in the source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from casewatch.data.vocabulary import excel_error, fold, is_empty, read_date, tidy
from casewatch.importers.report import ImportProblem, ImportReport, not_a_code


@dataclass(frozen=True)
class InputRow:
    """One row of one 903 file (or one element of the XML form), with its raw text values by 903 column name."""

    kind: str  # a FileKind name: "episodes", "header", ...
    file: str  # the file's name as the user knows it
    line: int | None  # line number in the file (the CSV header is line 1)
    values: Mapping[str, str]
    path: str | None = None  # XML element path, e.g. "CHILD[3]/EPISODE[2]"
    input_name: str = ""  # the key rows_read/rows_skipped count this row under

    def raw(self, column: str) -> str:
        """The value as meant: non-breaking and repeated spaces as one, no padding."""
        return tidy(self.values.get(column, ""))

    def where(self, column: str | None) -> str | None:
        if self.path is None:
            return column
        return f"{self.path}/{column}" if column else self.path


@dataclass
class ReadResult:
    """Everything read from a source: its rows, and which 903 files it held (even those with no rows)."""

    rows: list[InputRow]
    kinds: set[str]


class Values:
    """Reads typed values out of rows, reporting every value it cannot use to the import report."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report

    def problem(self, row: InputRow, column: str | None, value: str | None, reason: str, *, error: bool) -> None:
        self.report.problem(
            ImportProblem(
                file=row.file,
                sheet=None,
                row=row.line,
                column=row.where(column),
                value=value,
                reason=reason,
                severity="error" if error else "warning",
            )
        )

    def skip(self, row: InputRow, column: str | None, value: str | None, reason: str) -> None:
        """Report that ``row`` as a whole was not imported."""
        self.problem(row, column, value, reason, error=True)
        self.report.rows_skipped[row.input_name] += 1

    def text(self, row: InputRow, column: str) -> str | None:
        """The value, or None when empty: blank-looking, ``NULL``, ``-``, or an Excel error (reported)."""
        value = row.raw(column)
        if (error := excel_error(value)) is not None:
            self.problem(row, column, value, f"Excel error value {error} read as empty", error=False)
            return None
        return None if is_empty(value, exports=True, typed=True) else value

    def blank(self, row: InputRow, column: str) -> bool:
        """Whether ``column`` holds no value (without reporting it again, as :meth:`text` would)."""
        value = row.raw(column)
        return excel_error(value) is not None or is_empty(value, exports=True, typed=True)

    def need(self, row: InputRow, column: str, value: object) -> None:
        """Count a row whose ``column`` the import cannot do without was (or was not) usable."""
        self.report.need(row.input_name, column, value is not None)

    def code(
        self, row: InputRow, column: str, known: frozenset[str] | None = None, *, what: str = "code"
    ) -> str | None:
        """An upper-cased code; free text that is no code of ``known`` is kept as written and reported."""
        value = self.text(row, column)
        if value is None:
            return None
        code = fold(value)
        if known is not None and code not in known:
            self.problem(row, column, value, not_a_code(f"the 903 {what} codes"), error=False)
            return value
        return code

    def date(self, row: InputRow, column: str, *, required: bool = False) -> date | None:
        """A date written dd/mm/yyyy (or dd/mm/yy, or ISO); a bad one is reported and read as empty."""
        value = self.text(row, column)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            reason = "not a date (expected dd/mm/yyyy)"
            if not required:
                reason += "; left empty"
            self.problem(row, column, value, reason, error=required)
        return parsed

    def integer(self, row: InputRow, column: str) -> int | None:
        value = self.text(row, column)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            self.problem(row, column, value, "not a whole number; left empty", error=False)
            return None

    def flag(self, row: InputRow, column: str, codes: Mapping[str, bool]) -> bool | None:
        value = self.text(row, column)
        if value is None:
            return None
        flag = codes.get(fold(value))
        if flag is None:
            self.problem(row, column, value, "not a recognised yes/no code (1/0); left empty", error=False)
        return flag


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy as the DfE specifies, and the variants extracts drift into (d/m/yy, dd-mm-yyyy, ISO), read by
    the one date vocabulary; None when the text is no date."""
    reading = read_date(text)
    return reading.day if reading is not None else None
