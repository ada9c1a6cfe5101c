"""A small synthetic council, generated once per session, that every export test reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_support import AS_AT

from casewatch.synth import generate_council


@pytest.fixture(scope="session")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-child council (about a thousand with records) as SSD CSV files: big enough to reach most codes."""
    folder = tmp_path_factory.mktemp("council")
    generate_council(folder, population=3_000, seed=11, as_at=AS_AT)
    return folder
