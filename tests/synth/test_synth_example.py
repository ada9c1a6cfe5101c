"""The shipped example council is exactly what the generator makes from the command in its README."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synth_checks import violations

from casewatch.data.load import load_case_data
from casewatch.synth import generate_council

EXAMPLE = Path(__file__).parents[2] / "src" / "casewatch" / "examples" / "example_council"
POPULATION, YEARS, SEED, AS_AT, TIMELINESS = 5_000, 2, 2026, date(2026, 10, 30), 0.85
COMMAND = (
    f"casewatch synth --population {POPULATION} --years {YEARS} --seed {SEED} --as-at {AS_AT} "
    f"--timeliness {TIMELINESS} --format csv --out src/casewatch/examples/example_council"
)


def test_readme_states_the_command_that_made_it() -> None:
    assert COMMAND in (EXAMPLE / "README.md").read_text()


def test_example_is_byte_identical_to_a_fresh_generation(tmp_path: Path) -> None:
    generate_council(
        tmp_path, population=POPULATION, years=YEARS, seed=SEED, as_at=AS_AT, timeliness=TIMELINESS, fmt="csv"
    )
    shipped = sorted(p.name for p in EXAMPLE.glob("*.csv"))
    fresh = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert shipped == fresh
    differing = [name for name in fresh if (tmp_path / name).read_bytes() != (EXAMPLE / name).read_bytes()]
    assert differing == [], f"regenerate the example with: {COMMAND}"


def test_example_is_small_enough_to_ship() -> None:
    assert sum(p.stat().st_size for p in EXAMPLE.iterdir()) < 4 * 1024 * 1024


def test_example_loads_cleanly_and_is_coherent() -> None:
    data = load_case_data(EXAMPLE, as_at=AS_AT)
    assert list(data.report.iter_issues()) == []
    assert violations(EXAMPLE, AS_AT) == {}
