"""Checks that the pandas baseline (pandas_impl.py) gives the engine's instances, on a council and on the cases.

A generated council exercises volume but rarely the corners (a weekend anchor, a record with no date, a plan
dated before the placement), which the england pack's ``*.cases.yaml`` were written to reach. So this runs
both: ``--council DIR`` times and compares the three evaluators on one council (compare.run), and
``--cases`` puts every england case, under the standard's default readings, through the engine and pandas
on the same tables and compares their instances.

    .venv/bin/python -m benchmarks.check_pandas --cases
    .venv/bin/python -m benchmarks.check_pandas --council /tmp/pd/c80k [--no-reference]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import compare, pandas_impl
from casewatch.data.contract import TABLES
from casewatch.data.load import load_case_data
from casewatch.engine import evaluate
from casewatch.standards.loader import load_pack

_TESTS = Path(__file__).resolve().parent.parent / "tests"
SHOWN = 5


def _print_disagreements(label: str, agreement: compare.Agreement) -> None:
    print(f"{label}: {agreement.summary()}")
    for key in agreement.only_left[:SHOWN]:
        print(f"  only in casewatch: {key}")
    for key in agreement.only_right[:SHOWN]:
        print(f"  only in {label}: {key}")
    for key, ours, theirs in agreement.different[:SHOWN]:
        print(f"  {key}: casewatch {ours}, {label} {theirs}")


def check_council(folder: Path, as_at: date, *, reference: bool) -> bool:
    result = compare.run(load_case_data(folder, as_at=as_at), as_at, reference=reference)
    print(f"{result['rows_in']:,} rows in, {result['instances']:,} instances; engine {result['engine_s']:.2f}s")
    if result["reference_s"] is not None:
        print(f"reference {result['reference_s']:.2f}s")
        _print_disagreements("reference", result["vs_reference"])
    print(f"pandas {result['pandas_s']:.2f}s")
    for standard, seconds in sorted(result["pandas_per_standard_s"].items(), key=lambda item: -item[1]):
        print(f"  {standard:24} {seconds:8.2f}s")
    _print_disagreements("pandas", result["vs_pandas"])
    agreements = [result["vs_pandas"], result["vs_reference"]]
    return all(a.identical for a in agreements if a is not None)


def check_cases() -> bool:
    """Every england case with its default readings: the engine and pandas on the same typed tables."""
    if str(_TESTS) not in sys.path:
        sys.path.insert(0, str(_TESTS))
    from support.cases import load_cases  # type: ignore[import-not-found]  # the tests' helpers
    from support.engine_adapter import load_tables  # type: ignore[import-not-found]
    from support.facts import facts_to_tables  # type: ignore[import-not-found]

    pack = load_pack("england")
    holidays = compare._holidays(1990, 2035)
    checked, failed, instances = 0, 0, 0
    for standard in pack.standards.values():
        for case in load_cases(standard.cases_path):
            if case.readings:
                continue  # pandas implements the default readings only
            con = load_tables(facts_to_tables(case.data, standard.subject, standard_id=standard.id))
            results = evaluate([standard], con, case.as_at, allocated_roles=tuple(case.allocated_roles))
            engine = compare.engine_instances(results.instances.to_pylist())
            frames = {name: con.table(name).to_arrow_table().to_pandas() for name in TABLES}
            since = {compare._short(standard.id): compare._in_force_from(standard)}
            rows = pandas_impl.evaluate(frames, case.as_at, holidays, since)
            ours: dict[Any, Any] = {
                (r.standard, str(r.subject_id), r.episode_id, r.sequence): (r.status, r.due_date, r.completed_date)
                for r in rows
            }
            agreement = compare.agree(engine, ours)
            checked += 1
            instances += agreement.compared
            if not agreement.identical:
                failed += 1
                _print_disagreements(f"pandas, {case.standard}: {case.name}", agreement)
    print(f"{checked} cases ({instances} instances) checked, {failed} disagree")
    return failed == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", action="store_true", help="compare on every england case")
    parser.add_argument("--council", type=Path, help="a council folder (casewatch synth --format parquet)")
    parser.add_argument("--as-at", type=date.fromisoformat, default=date(2026, 10, 30))
    parser.add_argument("--no-reference", action="store_true", help="leave the reference evaluator out")
    args = parser.parse_args(argv)
    ok = True
    if args.cases:
        ok = check_cases() and ok
    if args.council is not None:
        ok = check_council(args.council, args.as_at, reference=not args.no_reference) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
