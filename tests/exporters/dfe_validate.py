"""Run one of the DfE's validators on a file casewatch wrote, and print which rules fired, as JSON.

The validators pin pandas < 2, numpy < 1.25 and rich < 14, which cannot sit beside casewatch's own pins, so
they live in their own environment (``make dfe-validators``: ``.venv-dfe``) and this script runs there, called
by ``test_dfe_validators.py`` as a subprocess. It imports nothing from casewatch.

    python dfe_validate.py cin  census.xml  cin2025_26
    python dfe_validate.py 903  folder/     lac2025_26 2026

Output: ``{"fired": {code: {"count", "type", "message"}}, "crashed": [code, ...], "ran": n}``. ``crashed``
lists rules that raised on the data instead of judging it, so a test can tell "no error" from "never ran".
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import logging
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any


def validate_cin(path: Path, ruleset: str) -> dict[str, Any]:
    from cin_validator import cin_validator

    registry = importlib.import_module(f"cin_validator.rules.{ruleset}").registry
    data = cin_validator.process_data(cin_validator.convert_data(ET.parse(path).getroot()))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # the validator prints, and otherwise ignores, a rule that raises
        validator = cin_validator.CinValidator(data, registry)
    crashed = sorted(set(re.findall(r"Error with rule (\S+?):", printed.getvalue())))
    fired: dict[str, dict[str, Any]] = {}
    for frame in (validator.full_issue_df, validator.multichild_issues):
        for row in frame.to_dict("records"):
            code = str(row["rule_code"])
            entry = fired.setdefault(code, {"count": 0, "type": "", "message": str(row["rule_description"])})
            entry["count"] += 1
    for rule in registry.values():
        if str(rule.code) in fired:
            fired[str(rule.code)]["type"] = rule.rule_type.name
    return {"fired": fired, "crashed": crashed, "ran": len(registry)}


def validate_903(folder: Path, ruleset: str, year: str) -> dict[str, Any]:
    logging.disable(logging.CRITICAL)  # the validator logs every rule at INFO on import and on run
    from lac_validator import lac_validator
    from lac_validator.utils import process_uploaded_files

    registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
    files = process_uploaded_files({"This year": [str(p) for p in sorted(folder.glob("*.csv"))]})
    # A made-up English authority code: the synthetic council is no real authority.
    with contextlib.redirect_stdout(io.StringIO()):  # it prints as it goes; stdout carries only the JSON
        validator = lac_validator.LacValidator({"collectionYear": year, "localAuthority": "E09000027"}, files, registry)
    fired: dict[str, dict[str, Any]] = {}
    for frame in validator.ds_results.values():
        if not hasattr(frame, "columns"):
            continue
        for column in (c for c in frame.columns if str(c).startswith("ERR_")):
            count = int(frame[column].fillna(False).astype(bool).sum())
            if count:
                code = str(column)[4:]
                entry = fired.setdefault(code, {"count": 0, "type": "Error", "message": registry[code].message})
                entry["count"] += count
    return {"fired": fired, "crashed": sorted(map(str, validator.fails)), "ran": len(registry)}


def main(argv: list[str]) -> None:
    kind, path = argv[0], Path(argv[1])
    result = validate_cin(path, argv[2]) if kind == "cin" else validate_903(path, argv[2], argv[3])
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
