"""The engine: standards compiled to set-based queries and evaluated as at a date."""

from .evaluate import RESULT_SCHEMA, STATUSES, Results, evaluate

__all__ = ["RESULT_SCHEMA", "STATUSES", "Results", "evaluate"]
