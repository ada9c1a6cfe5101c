"""A council's choice of readings for the unclear statements of its standards, from options or a YAML file.

Kept apart from the loader so that the command line, the web app and a notebook parse choices the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from casewatch.errors import StandardsError


def parse_readings(options: Iterable[str], file: Path | None = None) -> dict[str, str]:
    """``STANDARD:INTERPRETATION=READING`` options over the mappings of a readings file (options win)."""
    readings: dict[str, str] = {}
    if file is not None:
        readings.update(read_readings_file(file))
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise StandardsError(
                f"the reading '{option}' must be STANDARD:INTERPRETATION=READING, "
                "e.g. cin-visits:visit-frequency=monthly"
            )
        readings[key.strip()] = value.strip()
    return readings


def read_readings_file(file: Path) -> dict[str, str]:
    """A YAML mapping of ``standard:interpretation`` to reading, e.g. ``cin-visits:visit-frequency: monthly``."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StandardsError(f"{file}: cannot read the readings file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise StandardsError(f"{file}: not valid YAML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise StandardsError(f"{file}: expected a mapping of 'standard:interpretation' to a reading name")
    return {str(k): v for k, v in data.items()}
