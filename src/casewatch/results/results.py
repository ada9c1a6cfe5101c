"""What one evaluation produced: the instances, and what the data could not support, standard by standard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from casewatch.data.history import HistoryWindow
from casewatch.standards.pack import Standard


@dataclass
class Results:
    """The instances of every evaluated standard, and the standards the data could not support.

    The four mappings are caveats keyed by standard id, each a sentence a user can read: ``not_evaluated``
    (no figure at all), ``limited`` (judged on each child's latest record only), ``out_of_window`` (how many
    instances the data's history window left out, and why) and ``code_limits`` (the data does not hold the codes
    the standard filters on as it reads them, ``data.code_check``). ``results.compliance`` turns them into caveats on
    figures.
    """

    instances: pa.Table
    not_evaluated: dict[str, str] = field(default_factory=dict)
    limited: dict[str, str] = field(default_factory=dict)
    out_of_window: dict[str, str] = field(default_factory=dict)
    code_limits: dict[str, str] = field(default_factory=dict)
    as_at: date | None = None
    standards: list[Standard] = field(default_factory=list)
    #: The data's history window (set or inferred), whose statement every output prints with the figures.
    history: HistoryWindow | None = None

    def data_notes(self) -> list[str]:
        """What every output says about the data beside its figures: the history window and where it came from."""
        return [self.history.statement()] if self.history is not None else []


__all__ = ["Results"]
