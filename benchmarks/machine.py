"""The machine a benchmark ran on, said precisely enough to compare two runs of it."""

from __future__ import annotations

import os
import platform
import resource
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def _os() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"') + f" (Linux {platform.release()})"
    except OSError:
        pass
    return platform.platform()


def describe() -> dict[str, str]:
    """CPU, cores, RAM, OS and the versions that decide the speed of the run."""
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": f"{_ram_gib():.1f} GiB",
        "OS": _os(),
        "Python": platform.python_version(),
        "DuckDB": duckdb.__version__,
        "pyarrow": pa.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: how busy the shared machine was (a 2-core box is full at 2)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def peak_rss_mib() -> float:
    """This process's high-water resident memory so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far, all threads: robust to other load on the machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
