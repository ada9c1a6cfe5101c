"""Every standard's YAML test cases, run through both the reference evaluator and the engine.

The cases are the readable half of the proof: a principal social worker can check the facts and the expected
instances against the source document. Each case runs twice, once per evaluator, so a failure says which one
disagrees with the case. The engine side fails with ``EngineUnavailable`` until the engine lands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from casewatch.standards.loader import load_pack
from casewatch.standards.pack import PACKS_DIR, Pack, Standard
from reference.evaluator import evaluate_reference
from support.cases import Case, CaseFileError, check_facts, load_cases
from support.engine_adapter import run_engine
from support.facts import facts_to_tables
from support.instances import Instance, format_rows, same_field, sorted_instances

MIN_CASES = 3
Evaluator = Callable[[Standard, Mapping[str, Sequence[Mapping[str, Any]]], date, Sequence[str]], list[Instance]]
EVALUATORS: dict[str, Evaluator] = {"reference": evaluate_reference, "engine": run_engine}


TEST_PACKS_DIR = Path(__file__).parent / "packs"  # labelled test packs, e.g. a timescale that changes on a date


def pack_dirs() -> list[Path]:
    return sorted(p.parent for d in (PACKS_DIR, TEST_PACKS_DIR) for p in d.glob("*/pack.yaml"))


@cache
def pack(path: Path) -> Pack:
    return load_pack(path)


def cases_files() -> Iterator[tuple[Path, Path]]:
    for pack_dir in pack_dirs():
        for path in sorted(pack_dir.rglob("*.cases.yaml")):
            yield pack_dir, path


def standard_for(pack_dir: Path, path: Path, case_standard: str) -> Standard:
    """The standard a cases file is for, which must be the one beside it."""
    standard = pack(pack_dir).get(case_standard)
    assert standard.cases_path == path, f"{path}: names standard '{case_standard}', defined in {standard.path}"
    return standard


def _params() -> list[Any]:
    params = []
    for pack_dir, path in cases_files():
        try:
            cases = load_cases(path)
        except CaseFileError:
            continue  # reported by test_cases_files_are_well_formed
        for case in cases:
            for evaluator in EVALUATORS:
                case_id = f"{pack_dir.name}/{case.standard}/{case.name}/{evaluator}"
                params.append(pytest.param(pack_dir, case, evaluator, id=case_id))
    return params


@pytest.mark.parametrize(("pack_dir", "case", "evaluator"), _params())
def test_case(pack_dir: Path, case: Case, evaluator: str) -> None:
    standard = standard_for(pack_dir, case.path, case.standard)
    for interpretation, reading in case.readings.items():
        standard = standard.with_reading(interpretation, reading)
    tables = facts_to_tables(case.data, standard.subject, standard_id=standard.id)
    got = sorted_instances(EVALUATORS[evaluator](standard, tables, case.as_at, case.allocated_roles))
    assert matches(case.expect, got), mismatch_message(case, evaluator, got)


def matches(expected: Sequence[Mapping[str, Any]], got: Sequence[Instance]) -> bool:
    """Same number of instances, and each gives the fields its expectation states (in order)."""
    if len(expected) != len(got):
        return False
    for want, have in zip(expected, got, strict=True):
        fields = asdict(have)
        if not all(same_field(key, value, fields[key]) for key, value in want.items()):
            return False
    return True


def mismatch_message(case: Case, evaluator: str, got: Sequence[Instance]) -> str:
    return "\n".join(
        [
            f"{case.path.name}: '{case.name}' as at {case.as_at}: the {evaluator} disagrees with the case",
            format_rows("expected (· = not stated):", case.expect),
            format_rows(f"{evaluator}:", [asdict(i) for i in got]),
        ]
    )


def test_every_automated_standard_has_cases() -> None:
    """Each standard of each pack has a cases file beside it with at least three cases."""
    problems = []
    for pack_dir in pack_dirs():
        for standard in pack(pack_dir).own.values():
            if not standard.cases_path.is_file():
                problems.append(f"{standard.id}: no {standard.cases_path.name} beside {standard.path.name}")
                continue
            try:
                count = len(load_cases(standard.cases_path))
            except CaseFileError:
                continue  # reported by test_cases_files_are_well_formed
            if count < MIN_CASES:
                problems.append(f"{standard.id}: {count} case(s) in {standard.cases_path.name}, at least {MIN_CASES}")
    assert not problems, "\n".join(problems)


def test_cases_files_are_well_formed() -> None:
    """Strict format: unknown keys, bad dates or statuses, unknown sources or attributes in facts all fail."""
    problems = []
    for pack_dir, path in cases_files():
        try:
            cases = load_cases(path)
            for case in cases:
                standard = standard_for(pack_dir, path, case.standard)
                for interpretation, reading in case.readings.items():
                    standard = standard.with_reading(interpretation, reading)
                check_facts(case, standard.subject, standard.id)
        except (CaseFileError, AssertionError) as exc:
            problems.append(str(exc))
        except Exception as exc:  # a standard that does not load, named with the file that needs it
            problems.append(f"{path}: {exc}")
    assert not problems, "\n".join(problems)


def test_unknown_keys_are_rejected(tmp_path: Path) -> None:
    """A misspelt key names the file and the case, wherever it is."""
    base = "standard: s\ncases:\n  - name: A case\n    as_at: 2024-01-31\n"
    bad = {
        "case": base + "    expect: []\n    complted: 2024-01-01\n",
        "expected instance": base + "    expect: [{sequence: 1, complted: 2024-01-01}]\n",
        "file": base + "    expect: []\nstandards: x\n",
        "status": base + "    expect: [{status: done}]\n",
        "child": base + "    child: {dob: 2012-01-01, name: Sam}\n    expect: []\n",
    }
    for what, text in bad.items():
        path = tmp_path / f"{what.replace(' ', '-')}.cases.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(CaseFileError) as raised:
            for case in load_cases(path):
                check_facts(case, "child", "p.s")
        assert str(path) in str(raised.value), what
        if what != "file":
            assert "'A case'" in str(raised.value), what


def test_unknown_fact_keys_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "s.cases.yaml"
    path.write_text(
        "standard: s\ncases:\n  - name: Visit\n    as_at: 2024-01-31\n"
        "    facts: {cp_visit: [{date: 2024-01-02, seenn: true}]}\n    expect: []\n",
        encoding="utf-8",
    )
    (case,) = load_cases(path)
    with pytest.raises(CaseFileError, match=r"case 'Visit': cp_visit fact 1: unknown key 'seenn'"):
        check_facts(case, "child", "p.s")
