"""Reports: results written where analysts want them, and the comparison of packs (figures from ``results``)."""

from .export import write_results, write_tables

__all__ = ["write_results", "write_tables"]
