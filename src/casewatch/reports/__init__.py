"""Reports: compliance summaries, exports and terminal output."""

from .export import write_results
from .summary import compliance_summary
from .terminal import print_summary

__all__ = ["compliance_summary", "print_summary", "write_results"]
