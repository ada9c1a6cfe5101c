"""The README's examples run as written, on the shipped example council (placeholders filled in).

The README is what a new user copies first; an example that no longer runs is a defect like any other. Each
command of the "Using it" block is run through the CLI with its placeholder paths pointed at the example
council or a scratch folder; the few that cannot run here are listed below with the reason.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from casewatch.api import EXAMPLE_COUNCIL
from casewatch.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
#: Commands that need something a test run does not have, with why.
NOT_RUN = {
    "import ssd postgresql://": "needs a council's SSD warehouse (tests/importers/ssd runs it on PostgreSQL)",
    "evaluate --standards england --data DIR --as-at 2026-10-30 --engine postgresql://": (
        "needs a council's PostgreSQL warehouse (tests/engine/test_postgres_engine.py runs it on PostgreSQL)"
    ),
    "serve": "runs until stopped (tests/web serves the app)",
    "audit check": "needs the web app's store (tests/web/test_web_audit_cli.py)",
}


def _block(language: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    using = text[text.index("## Using it") : text.index("## How it is built")]
    found = re.search(rf"```{language}\n(.*?)```", using, re.S)
    assert found, f"the README's 'Using it' section has no {language} block"
    return found.group(1).strip().splitlines()


def _commands() -> list[str]:
    out = []
    for line in _block("sh"):
        command = line.split("#", 1)[0].strip()
        assert command.startswith(".venv/bin/casewatch "), line
        out.append(command.removeprefix(".venv/bin/casewatch "))
    return out


def _filled(command: str, scratch: Path) -> list[str]:
    """The command's words with placeholders filled: data from the example council, outputs in ``scratch``."""
    words = []
    for word in shlex.split(command):
        if word in ("path/to/ssd_extract", "DIR"):
            word = str(EXAMPLE_COUNCIL)
        elif word == "my-council-pack/":
            word = str(Path(__file__).resolve().parents[1] / "src" / "casewatch" / "packs" / "dudley")
        elif word == "/scratch":
            word = str(scratch / "work")
        elif re.fullmatch(r"[\w./-]+\.(xlsx|html|md|csv|parquet|xml)|ssd_\w+|my_\w+", word):
            word = str(scratch / word)
        words.append(word)
    if words[:1] == ["synth"]:  # the README's 80,000 children: the same command at a size a test can afford
        words[words.index("--population") + 1] = "300"
        words[words.index("--years") + 1] = "1"
        if "--extract-years" in words:
            words[words.index("--extract-years") + 1] = "1"
    return words


COMMANDS = _commands()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding what earlier commands wrote (the Annex A import reads the export's workbook)."""
    folder = tmp_path_factory.mktemp("readme")
    exported = CliRunner().invoke(
        cli,
        [
            "export",
            "annex-a",
            "--data",
            str(EXAMPLE_COUNCIL),
            "--as-at",
            "2026-10-30",
            "--out",
            str(folder / "annex_a.xlsx"),
        ],
    )
    assert exported.exit_code == 0, exported.output
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_of_the_readme_runs(command: str, scratch: Path) -> None:
    skipped = [why for start, why in NOT_RUN.items() if command.startswith(start)]
    if skipped:
        pytest.skip(skipped[0])
    result = CliRunner().invoke(cli, _filled(command, scratch))
    assert result.exit_code == 0, f"casewatch {command}\n{result.output}"


def test_the_readme_python_example_runs() -> None:
    code = "\n".join(_block("python")).replace('"path/to/ssd_extract"', repr(str(EXAMPLE_COUNCIL)))
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["results"] is not None


def test_only_the_listed_commands_are_left_out() -> None:
    assert all(any(c.startswith(start) for c in COMMANDS) for start in NOT_RUN), "NOT_RUN names a command gone"
    assert len(COMMANDS) - sum(any(c.startswith(s) for s in NOT_RUN) for c in COMMANDS) >= 15
