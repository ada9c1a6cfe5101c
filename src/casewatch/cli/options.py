"""The command-line options several commands share, spelt once so a user who learned them once knows them all.

``casewatch evaluate`` and ``casewatch whatif`` both evaluate a pack over case data as at a date, with a reporting
period that may be written as two words; they and ``casewatch data check`` load a council's tables, and a region
or England does not fit in memory, so all take the same two options for that.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click

from .common import IsoDate

F = TypeVar("F", bound=Callable[..., object])

#: The period kinds written as two words on the command line (``--period quarter 2026-Q3``).
TWO_WORD_PERIODS = ("month", "quarter", "financial-year")


class PeriodCommand(click.Command):
    """A command whose ``--period`` may be two words unquoted, as a user reads it: ``--period month 2026-09``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, join_period_words(args))


def join_period_words(args: Sequence[str]) -> list[str]:
    """The arguments with ``--period KIND VALUE`` joined into the one value ``--period`` takes."""
    out: list[str] = []
    words = list(args)
    while words:
        word = words.pop(0)
        kind = word.removeprefix("--period=") if word.startswith("--period=") else None
        if word == "--period" and words:
            kind = words.pop(0)
        if kind is not None and kind in TWO_WORD_PERIODS and words and not words[0].startswith("-"):
            kind = f"{kind} {words.pop(0)}"
        out.extend(["--period", kind] if kind is not None else [word])
    return out


def evaluation_options(command: F) -> F:
    """Add ``--standards PACK``, ``--data DIR`` and ``--as-at DATE`` (passed as ``pack``, ``data_path``, ``as_at``)."""
    command = click.option(
        "--as-at", "as_at", type=IsoDate(), default=None, help="Evaluate as at the end of this date (default today)."
    )(command)
    command = click.option(
        "--data", "data_path", required=True, type=click.Path(path_type=Path), help="SSD folder or .duckdb file."
    )(command)
    return click.option("--standards", "pack", required=True, help="A shipped pack (e.g. england) or a pack folder.")(
        command
    )


def large_data_options(command: F) -> F:
    """Add ``--work-dir DIR`` and ``--memory-limit SIZE`` (passed as ``work_dir`` and ``memory_limit``)."""
    command = click.option(
        "--memory-limit",
        "memory_limit",
        default=None,
        metavar="SIZE",
        help="Cap on the memory the loaded data may use, e.g. 8GB; the rest goes to disk (into --work-dir if given).",
    )(command)
    return click.option(
        "--work-dir",
        "work_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Keep the loaded data in a working database in this folder instead of in memory (for very large data).",
    )(command)
