"""Optional validation against a DfE CIN census XSD the user supplies.

The standard library cannot validate XSD and casewatch does not depend on a library that can, so validation
runs only when ``xmlschema`` is installed. Asked for without it, the import stops with a ``DataError`` rather
than quietly skipping a check the user believes was made.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

from casewatch.errors import DataError

from ..report import ImportProblem, ImportReport


def validate_against(path: Path, schema: Path, report: ImportReport) -> None:
    """Report every schema violation in ``path`` as a warning (the importer has read what it could anyway)."""
    if importlib.util.find_spec("xmlschema") is None:
        raise DataError(
            f"Validation of {path} against {schema} was requested but the 'xmlschema' package is not installed; "
            "install it, or import without a schema."
        )
    if not schema.is_file():
        raise DataError(f"The schema {schema} does not exist or is not a file.")
    xmlschema: Any = importlib.import_module("xmlschema")
    try:
        xsd = xmlschema.XMLSchema(str(schema))
    except Exception as exc:  # the library raises several unrelated types for a bad schema
        raise DataError(f"{schema} is not a usable XML schema ({exc}).") from None
    for error in xsd.iter_errors(str(path)):
        report.problem(
            ImportProblem(
                str(path),
                None,
                getattr(error, "sourceline", None),
                getattr(error, "path", None),
                None,
                f"does not match the schema {schema.name}: {getattr(error, 'reason', None) or error}",
                "warning",
            )
        )
