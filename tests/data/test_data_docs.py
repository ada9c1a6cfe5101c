"""The committed data-contract document is exactly what the code generates, so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

from casewatch.data.contract import TABLES
from casewatch.data.docs import main, render_contract

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "data-contract.md"


def test_committed_document_matches_the_contract() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == render_contract(), (
        "docs/data-contract.md is out of date; run: python -m casewatch.data.docs"
    )


def test_document_covers_every_table_and_column() -> None:
    text = render_contract()
    for spec in TABLES.values():
        assert f"### `{spec.name}`" in text
        for col in spec.columns:
            assert f"| `{col.name}` |" in text


def test_main_writes_the_document(tmp_path: Path) -> None:
    out = tmp_path / "contract.md"
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_contract()
