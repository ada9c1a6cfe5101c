"""`casewatch audit check`: the administrator's check of the audit log without a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from casewatch.cli import cli
from casewatch.errors import CasewatchError
from casewatch.web import store
from casewatch.web.audit import record
from casewatch.web.store import open_store


def test_an_intact_log_passes_and_an_edited_one_fails(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    engine = open_store(f"sqlite:///{path}")
    for n in range(3):
        record(engine, None, "view_child", f"child-{n}", username="qa")
    runner = CliRunner()
    good = runner.invoke(cli, ["audit", "check", "--store", str(path)])
    assert good.exit_code == 0, good.output
    assert "3 audit entries checked" in good.output and "intact" in good.output
    with engine.begin() as conn:
        conn.execute(update(store.audit_log).where(store.audit_log.c.id == 2).values(target="child-9"))
    bad = runner.invoke(cli, ["audit", "check", "--store", str(path)])
    assert bad.exit_code == 1


def test_a_missing_store_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(CasewatchError, match="there is no casewatch store"):
        CliRunner().invoke(cli, ["audit", "check", "--store", str(tmp_path / "none.sqlite")], catch_exceptions=False)
