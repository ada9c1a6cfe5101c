"""The result schema: one row per required occurrence, the same from every engine and in every export.

The key is (subject_type, subject_id, standard_id, episode_id, sequence); the worker and team are those
responsible at the instance's reference date (``results.attribution``).
"""

from __future__ import annotations

import pyarrow as pa

RESULT_SCHEMA = pa.schema(
    [
        ("subject_type", pa.string()),
        ("subject_id", pa.string()),
        ("standard_id", pa.string()),
        ("standard_version", pa.int32()),
        ("rule_kind", pa.string()),
        ("episode_id", pa.string()),
        ("sequence", pa.int32()),
        ("anchor_date", pa.date32()),
        ("due_date", pa.date32()),
        ("completed_date", pa.date32()),
        ("due_datetime", pa.timestamp("us")),
        ("completed_datetime", pa.timestamp("us")),
        ("status", pa.string()),
        ("working_days_late", pa.int32()),
        ("calendar_days_late", pa.int32()),
        ("worker_id", pa.string()),
        ("team_id", pa.string()),
        ("calendar", pa.string()),
        ("explanation", pa.string()),
        ("exception_reason", pa.string()),
    ]
)
RESULT_COLUMNS: tuple[str, ...] = tuple(RESULT_SCHEMA.names)

__all__ = ["RESULT_COLUMNS", "RESULT_SCHEMA"]
