"""Fixtures for the case-file audit tests: the invented council of qa_council.py, loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from qa_council import AS_AT, write_council

from casewatch.data import CaseData, load_case_data


@pytest.fixture
def council(tmp_path: Path) -> Iterator[Callable[..., CaseData]]:
    """Load the invented council (``reverse=True``: its rows written in reverse order); closed after the test."""
    opened: list[CaseData] = []

    def load(*, reverse: bool = False) -> CaseData:
        folder = write_council(tmp_path / ("reversed" if reverse else "council"), reverse=reverse)
        data = load_case_data(folder, as_at=AS_AT)
        opened.append(data)
        return data

    yield load
    for data in opened:
        data.close()
