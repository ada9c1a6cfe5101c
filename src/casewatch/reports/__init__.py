"""Reports: results written where analysts want them, and the terminal's summary (figures from ``results``)."""

from .export import write_results
from .terminal import print_summary

__all__ = ["print_summary", "write_results"]
