"""The command-line options for data larger than memory, shared by every command that loads case data.

``casewatch evaluate`` and ``casewatch data check`` both load a council's tables; a region or England does not
fit in memory, so both take the same two options with the same words, and a user who learned them once can use
either command at that scale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


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
