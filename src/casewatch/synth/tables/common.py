"""Small helpers the table builders share: id columns, JSON outcome flags, times of day, code draws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from casewatch.synth.days import Bools, Days, Ints
from casewatch.synth.ids import format_ids

Strs = npt.NDArray[np.str_]
Seconds = npt.NDArray[np.datetime64]


def worker_ids(numbers: Ints) -> pa.Array:
    """Professional ids, null where no worker (0)."""
    return format_ids("worker", np.maximum(numbers, 1), numbers > 0)


def staff_ids(numbers: Ints) -> pa.Array:
    """HR staff ids (how SystemC fills the S47 and ICPC worker columns), null where no worker."""
    return format_ids("staff", np.maximum(numbers, 1), numbers > 0)


def team_ids(numbers: Ints) -> pa.Array:
    return format_ids("team", np.maximum(numbers, 1), numbers > 0)


def ids_or_null(kind: str, numbers: Ints) -> pa.Array:
    """Ids for numbers > 0, null for 0 (a reference to something not in the extract)."""
    return format_ids(kind, np.maximum(numbers, 1), numbers > 0)


def json_flags(flags: Sequence[tuple[str, Bools]], extra: Mapping[str, npt.ArrayLike] | None = None) -> Strs:
    """``{"FLAG":"Y",...}`` per row, built from the few distinct flag combinations rather than row by row."""
    n = len(flags[0][1])
    code = np.zeros(n, dtype=np.int64)
    for bit, (_, values) in enumerate(flags):
        code |= np.asarray(values, dtype=np.int64) << bit
    extras = {k: np.asarray(v).astype(str) for k, v in (extra or {}).items()}
    if extras:
        # Combine with the extra columns' values: index distinct (code, extras...) tuples.
        keys = np.stack([code.astype(str), *extras.values()], axis=1)
        uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
        texts = []
        for row in uniq:
            c = int(row[0])
            parts = [f'"{name}":"{"Y" if c >> bit & 1 else "N"}"' for bit, (name, _) in enumerate(flags)]
            parts += [f'"{name}":{value}' for name, value in zip(extras, row[1:], strict=True)]
            texts.append("{" + ",".join(parts) + "}")
        return np.asarray(np.array(texts)[inverse.ravel()])
    texts = []
    for c in range(1 << len(flags)):
        parts = [f'"{name}":"{"Y" if c >> bit & 1 else "N"}"' for bit, (name, _) in enumerate(flags)]
        texts.append("{" + ",".join(parts) + "}")
    return np.asarray(np.array(texts)[code])


def at_time(rng: np.random.Generator, day: Days, start_hour: float, end_hour: float) -> Seconds:
    """A time of day between two hours (to the minute) on each date."""
    minutes = np.floor(rng.uniform(start_hour * 60, end_hour * 60, len(day))).astype(np.int64)
    stamp = np.asarray(day, dtype="datetime64[D]").astype("datetime64[s]") + (minutes * 60).astype("timedelta64[s]")
    return np.asarray(stamp, dtype="datetime64[s]")


def plus_hours(when: Seconds, hours: npt.ArrayLike) -> Seconds:
    seconds = np.floor(np.asarray(hours, dtype=np.float64) * 3600).astype(np.int64)
    return np.asarray(np.asarray(when, dtype="datetime64[s]") + seconds.astype("timedelta64[s]"), dtype="datetime64[s]")


def draw(rng: np.random.Generator, table: Mapping[str, float], n: int) -> Strs:
    """Codes drawn with the table's weights."""
    keys = np.array(list(table.keys()))
    weights = np.array(list(table.values()), dtype=np.float64)
    return np.asarray(rng.choice(keys, size=n, p=weights / weights.sum()))


def yes(rng: np.random.Generator, n: int, p: npt.ArrayLike) -> Bools:
    return np.asarray(rng.random(n) < np.asarray(p, dtype=np.float64))


def sort_rows(*keys: npt.ArrayLike) -> Ints:
    """Row order by the given keys, most significant first (rows of a child together, then by date)."""
    return np.lexsort(tuple(np.asarray(k) for k in reversed(keys))).astype(np.int64)
