"""A synthetic council generated once and reused: what makes the demo's second run quick.

The council is kept in a folder named after the arguments that made it, beside a small receipt written only
after generation finished. The receipt also holds a fingerprint of the generator's own source, so a changed
generator (or a half-written folder from an interrupted run) is regenerated rather than trusted: the cache
can be stale only if someone edits the tables by hand.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from casewatch.synth.council import Progress, generate_council

RECEIPT_SUFFIX = ".json"


@dataclass(frozen=True)
class CouncilSpec:
    """The arguments that make a synthetic council; the same spec always gives the same council."""

    population: int
    years: int
    seed: int
    as_at: date
    timeliness: float = 0.85

    @property
    def name(self) -> str:
        return f"council-{self.population}-{self.years}y-seed{self.seed}-{self.as_at:%Y%m%d}-t{self.timeliness:g}"


def generator_fingerprint() -> str:
    """A hash of the generator's source files: any change to how councils are made changes it."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _receipt(spec: CouncilSpec) -> dict[str, object]:
    return {**asdict(spec), "as_at": spec.as_at.isoformat(), "generator": generator_fingerprint()}


def cached_council(cache_dir: Path, spec: CouncilSpec, progress: Progress | None = None) -> tuple[Path, bool]:
    """The folder holding ``spec``'s council under ``cache_dir``, generating it if needed.

    Returns the folder and whether it was reused from an earlier run. Parquet, because it loads several
    times faster than CSV.
    """
    folder = cache_dir / spec.name
    receipt = cache_dir / f"{spec.name}{RECEIPT_SUFFIX}"
    wanted = _receipt(spec)
    if folder.is_dir() and receipt.is_file():
        try:
            if json.loads(receipt.read_text()) == wanted:
                return folder, True
        except (OSError, ValueError):
            pass
    receipt.unlink(missing_ok=True)
    if folder.exists():
        shutil.rmtree(folder)
    cache_dir.mkdir(parents=True, exist_ok=True)
    generate_council(
        folder,
        population=spec.population,
        years=spec.years,
        seed=spec.seed,
        as_at=spec.as_at,
        timeliness=spec.timeliness,
        fmt="parquet",
        progress=progress,
    )
    receipt.write_text(json.dumps(wanted, indent=2) + "\n")
    return folder, False
