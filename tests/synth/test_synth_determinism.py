"""The same arguments give byte-identical files; a different seed gives a different council."""

from __future__ import annotations

import hashlib
from pathlib import Path

from casewatch.synth import generate_council


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_arguments_same_bytes(tmp_path: Path) -> None:
    a = generate_council(tmp_path / "a", population=1_200, seed=42, years=2)
    b = generate_council(tmp_path / "b", population=1_200, seed=42, years=2)
    assert a.rows == b.rows
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_same_arguments_same_parquet(tmp_path: Path) -> None:
    generate_council(tmp_path / "a", population=800, seed=9, fmt="parquet")
    generate_council(tmp_path / "b", population=800, seed=9, fmt="parquet")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_another_seed_another_council(tmp_path: Path) -> None:
    generate_council(tmp_path / "a", population=1_200, seed=1)
    generate_council(tmp_path / "b", population=1_200, seed=2)
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert a["ssd_cin_episodes.csv"] != b["ssd_cin_episodes.csv"]


def test_regenerating_into_the_same_folder_replaces_it(tmp_path: Path) -> None:
    generate_council(tmp_path, population=500, seed=3, fmt="parquet")
    generate_council(tmp_path, population=500, seed=3)
    assert not list(tmp_path.glob("*.parquet"))
