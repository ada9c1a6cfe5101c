"""Shared helpers for the data-layer tests: tiny case-data folders written into tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from data_helpers import AS_AT

from casewatch.data import CaseData, load_case_data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An empty data folder."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def write(folder: Path) -> Callable[[str, str], Path]:
    """Write ``text`` as file ``name`` in the data folder (UTF-8) and return its path."""

    def write_file(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def load(folder: Path) -> Iterator[Callable[..., CaseData]]:
    """Load the data folder as at 2025-01-01; connections are closed after the test."""
    opened: list[CaseData] = []

    def run(path: Path | None = None, **kwargs: Any) -> CaseData:
        kwargs.setdefault("as_at", AS_AT)
        data = load_case_data(path or folder, **kwargs)
        opened.append(data)
        return data

    yield run
    for data in opened:
        data.con.close()
