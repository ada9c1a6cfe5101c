"""Helpers for ragged arrays: many variable-length runs (a child's visits, a plan's reviews) in one array.

Generating "every child's visits" child by child would be a Python loop per child; instead each run is a
contiguous block in flat arrays, with an ``owner`` index saying whose run each element belongs to. These few
primitives (expand, position within run, cumulative sum within run, first/last per run) are all the
generator needs to stay vectorised.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

from casewatch.synth.days import Bools, Ints


def expand(counts: npt.ArrayLike) -> Ints:
    """Owner index for each element when owner ``i`` has ``counts[i]`` elements."""
    counts = np.asarray(counts, dtype=np.int64)
    return np.repeat(np.arange(len(counts), dtype=np.int64), counts)


def run_starts(counts: npt.ArrayLike) -> Ints:
    """Offset of each owner's first element in the flat array."""
    counts = np.asarray(counts, dtype=np.int64)
    starts = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=starts[1:])
    return starts


def position(counts: npt.ArrayLike) -> Ints:
    """0, 1, 2, ... within each owner's run."""
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(run_starts(counts), counts)


def cumsum_within(values: npt.ArrayLike, counts: npt.ArrayLike) -> Ints:
    """Cumulative sum restarting at each owner's run (values are integers)."""
    values = np.asarray(values, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    total = np.cumsum(values)
    before = np.concatenate([[0], total])[run_starts(counts)]
    return np.asarray(total - np.repeat(before, counts), dtype=np.int64)


def group_max(values: npt.ArrayLike, owner: Ints, n_owners: int, empty: int) -> Ints:
    """Largest value per owner (``empty`` for owners without elements)."""
    out = np.full(n_owners, empty, dtype=np.int64)
    np.maximum.at(out, owner, np.asarray(values, dtype=np.int64))
    return out


def first_of_run(*keys: npt.NDArray[np.generic]) -> Bools:
    """True where a row starts a new run of equal keys (rows sorted by the keys); empty-safe."""
    n = len(keys[0])
    out = np.ones(n, dtype=bool)
    if n > 1:
        changed = np.zeros(n - 1, dtype=bool)
        for k in keys:
            changed |= k[1:] != k[:-1]
        out[1:] = changed
    return out


def last_of_run(*keys: npt.NDArray[np.generic]) -> Bools:
    """True where a row ends a run of equal keys; empty-safe."""
    n = len(keys[0])
    out = np.ones(n, dtype=bool)
    if n > 1:
        changed = np.zeros(n - 1, dtype=bool)
        for k in keys:
            changed |= k[1:] != k[:-1]
        out[:-1] = changed
    return out


_T = TypeVar("_T", bound=np.generic)


def shift_up(values: npt.NDArray[_T]) -> npt.NDArray[_T]:
    """Each row's next value (the last row keeps its own); empty-safe."""
    if len(values) < 2:
        return values.copy()
    return np.concatenate([values[1:], values[-1:]])
