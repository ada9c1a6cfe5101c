"""Shared fixtures: small councils generated once per test session (generation is deterministic)."""

from __future__ import annotations

import pytest
from synth_checks import AS_AT

from casewatch.synth import SynthSummary, generate_council


@pytest.fixture(scope="session")
def small_council(tmp_path_factory: pytest.TempPathFactory) -> SynthSummary:
    """A 3,000-child council with default timeliness, as CSV."""
    return generate_council(tmp_path_factory.mktemp("small"), population=3_000, seed=11, as_at=AS_AT)


@pytest.fixture(scope="session")
def punctual_council(tmp_path_factory: pytest.TempPathFactory) -> SynthSummary:
    """A council that does every piece of timed work on time."""
    return generate_council(tmp_path_factory.mktemp("punctual"), population=3_000, seed=5, timeliness=1.0)


@pytest.fixture(scope="session")
def moderate_council(tmp_path_factory: pytest.TempPathFactory) -> SynthSummary:
    """A 60,000-child council: large enough for its rates to sit near the national figures."""
    return generate_council(tmp_path_factory.mktemp("moderate"), population=60_000, seed=3, as_at=AS_AT)
