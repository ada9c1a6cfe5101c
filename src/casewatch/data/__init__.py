"""Case data: the SSD + ext_* contract, loading and normalisation, row accounting and the data-quality report.

The rest of casewatch sees case data only through :func:`load_case_data`, which returns typed contract tables in
DuckDB and a report of every row it could not load; nothing downstream reads files.
"""

from casewatch.data.config import DataConfig
from casewatch.data.contract import (
    TABLES,
    ColumnSpec,
    Derivation,
    ForeignKey,
    JsonKeyDerivation,
    Ordering,
    TableSpec,
)
from casewatch.data.load import CaseData, load_case_data
from casewatch.data.quality import DataQualityReport, Issue, TableSummary

__all__ = [
    "TABLES",
    "CaseData",
    "ColumnSpec",
    "DataConfig",
    "DataQualityReport",
    "Derivation",
    "ForeignKey",
    "Issue",
    "JsonKeyDerivation",
    "Ordering",
    "TableSpec",
    "TableSummary",
    "load_case_data",
]
