"""The demo's council cache: reused when the same council was made before, regenerated when in doubt."""

from __future__ import annotations

import json
from pathlib import Path

from synth_checks import AS_AT

from casewatch.synth.cache import CouncilSpec, cached_council

SPEC = CouncilSpec(population=300, years=1, seed=4, as_at=AS_AT)


def test_second_call_reuses_the_council(tmp_path: Path) -> None:
    folder, reused = cached_council(tmp_path, SPEC)
    assert not reused
    assert (folder / "ssd_person.parquet").is_file()
    stamp = (folder / "ssd_person.parquet").stat().st_mtime_ns
    again, reused = cached_council(tmp_path, SPEC)
    assert (again, reused) == (folder, True)
    assert (folder / "ssd_person.parquet").stat().st_mtime_ns == stamp


def test_a_receipt_from_another_generator_means_regenerating(tmp_path: Path) -> None:
    cached_council(tmp_path, SPEC)
    receipt = tmp_path / f"{SPEC.name}.json"
    written = json.loads(receipt.read_text())
    receipt.write_text(json.dumps({**written, "generator": "an older generator"}))
    _, reused = cached_council(tmp_path, SPEC)
    assert not reused
    assert json.loads(receipt.read_text()) == written


def test_an_interrupted_generation_is_not_trusted(tmp_path: Path) -> None:
    """A folder without its receipt (generation stopped half way) is generated again."""
    folder, _ = cached_council(tmp_path, SPEC)
    (tmp_path / f"{SPEC.name}.json").unlink()
    (folder / "ssd_person.parquet").unlink()
    _, reused = cached_council(tmp_path, SPEC)
    assert not reused
    assert (folder / "ssd_person.parquet").is_file()


def test_different_arguments_different_folders() -> None:
    other = CouncilSpec(population=300, years=1, seed=5, as_at=AS_AT)
    assert other.name != SPEC.name
