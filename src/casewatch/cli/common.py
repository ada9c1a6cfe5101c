"""What every command shares: the consoles, the date option, and the options for data larger than memory."""

from __future__ import annotations

import sys
from datetime import date

import click
from rich.console import Console

console = Console(width=None if sys.stdout.isatty() else 120)
errors = Console(stderr=True)


class IsoDate(click.ParamType):  # type: ignore[type-arg]
    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-10-30", param, ctx)
