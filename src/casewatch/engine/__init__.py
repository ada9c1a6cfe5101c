"""The engine: standards compiled to set-based queries and evaluated as at a date (results in ``casewatch.results``)."""

from .evaluate import evaluate

__all__ = ["evaluate"]
