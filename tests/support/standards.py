"""Standards built in code, for tests that need many variations of a rule rather than a file per variation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from casewatch.standards.durations import Duration
from casewatch.standards.model import Document, StandardFile
from casewatch.standards.pack import Standard


def make_standard(
    rule: Mapping[str, Any] | None = None,
    *,
    subject: str = "child",
    calendar: str = "england",
    versions: Sequence[Mapping[str, Any]] | None = None,
    due_soon: str = "5 working days",
) -> Standard:
    """A standard built in code, as the loader would build it from a file of a pack called ``difftest``."""
    data: dict[str, Any] = {
        "id": "generated",
        "title": "A generated standard",
        "type": "local",
        "subject": subject,
        "role": "Social Worker",
        "calendar": calendar,
        "due_soon": due_soon,
        "citation": {
            "document": "doc",
            "section": "1",
            "quote": "Generated for a property test.",
            "checked": "unverified",
        },
    }
    if versions is not None:
        data["versions"] = list(versions)
    else:
        data.update(effective_from=date(2000, 1, 1), rule=rule)
    spec = StandardFile.model_validate(data)
    standard = Standard(
        pack="difftest",
        spec=spec,
        path=Path("difftest/generated.yaml"),
        calendar=calendar,
        due_soon=Duration.parse(due_soon),
        documents={"doc": Document(title="A document", edition="Generated", published="In the property tests")},
    )
    assert standard.requirements  # every source and attribute the rule names exists
    return standard
