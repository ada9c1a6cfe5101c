"""The `casewatch` command: one module per command group, wiring the packages together.

Only this package imports click and rich; the domain packages return data and raise ``CasewatchError`` for a
user's mistake, which :func:`main` turns into one sentence on stderr and exit code 1.
"""

from __future__ import annotations

import sys

import click

from casewatch import __version__
from casewatch.api import EXAMPLE_AS_AT, EXAMPLE_COUNCIL
from casewatch.errors import CasewatchError

from . import calendar, data, demo, evaluate, export, imports, qa, serve, standards, synth, whatif
from .common import errors


@click.group()
@click.version_option(__version__, prog_name="casewatch")
def cli() -> None:
    """casewatch: practice standards for children's social care, as cited, executable rules."""


# The submodules keep their own names here (``casewatch.cli.standards`` is the module, not its group).
for command in (
    evaluate.evaluate,
    demo.demo,
    serve.serve,
    serve.audit,
    standards.standards,
    calendar.calendar,
    data.data,
    imports.import_command,
    export.export_group,
    synth.synth,
    qa.qa,
    whatif.whatif,
):
    cli.add_command(command)


def main() -> None:
    """Run the CLI; a mistake in the user's own input is one sentence on stderr and exit code 1."""
    try:
        outcome = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        errors.print("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except CasewatchError as exc:
        errors.print(f"[red]Error:[/red] {exc}", highlight=False, soft_wrap=True)  # paths unbroken, for logs
        sys.exit(1)
    if isinstance(outcome, int):
        sys.exit(outcome)


__all__ = ["EXAMPLE_AS_AT", "EXAMPLE_COUNCIL", "cli", "main"]
