"""The same arguments give byte-identical files, whatever the chunk size; a different seed gives another council."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

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


def _parquet_tables(folder: Path) -> dict[str, pa.Table]:
    return {p.name: pq.read_table(p) for p in sorted(folder.glob("*.parquet"))}


def test_chunk_size_never_changes_the_data(tmp_path: Path) -> None:
    """Random streams of 200 children, held one, two or all at a time before writing: the same files."""
    runs = {size: tmp_path / f"chunk{size}" for size in (200, 400, 100_000)}
    for size, folder in runs.items():
        generate_council(folder, population=700, seed=21, years=1, batch_size=200, chunk_size=size)
    digests = [_digest(folder) for folder in runs.values()]
    assert digests[0] == digests[1] == digests[2]


def test_chunk_size_never_changes_parquet_content(tmp_path: Path) -> None:
    generate_council(tmp_path / "a", population=600, seed=5, years=1, fmt="parquet", batch_size=200, chunk_size=200)
    generate_council(tmp_path / "b", population=600, seed=5, years=1, fmt="parquet", batch_size=200)
    a, b = _parquet_tables(tmp_path / "a"), _parquet_tables(tmp_path / "b")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), name
