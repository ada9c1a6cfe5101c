"""The topics of the cross-council comparison, read from topics.yaml.

A fixed list (rather than free text) is what lets `casewatch standards compare` put Dudley's CP visits and
St Helena's CP visits in the same row.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

TOPICS_FILE = Path(__file__).with_name("topics.yaml")


@cache
def load_topics() -> dict[str, str]:
    """Topic id -> label, in journey order."""
    data = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}
