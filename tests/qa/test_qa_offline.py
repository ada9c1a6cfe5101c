"""Offline audit in Excel: `casewatch qa export` writes a programme's forms, an auditor fills them in, and
`casewatch qa import` keeps the audits, all or none, every problem named by sheet and cell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from qa_council import write_council

from casewatch.qa import store
from casewatch.qa.completed import AuditStatus, return_for_change
from casewatch.qa.workbook import ANSWER_COLUMN, EVIDENCE_COLUMN, GRADE_COLUMN, QUESTION_HEADINGS
from casewatch.web.store import open_store

CASEWATCH = Path(sys.executable).parent / "casewatch"


def casewatch(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CASEWATCH), *map(str, args)], capture_output=True, text=True, check=False)


@pytest.fixture
def kept(tmp_path: Path) -> tuple[Path, Path]:
    """A programme of the invented council, drawn, allocated and kept: (its data, its store)."""
    data = write_council(tmp_path / "council")
    kept = tmp_path / "store.sqlite"
    drawn = casewatch(
        "qa",
        "sample",
        *("--data", data, "--standards", "rutland", "--as-at", "2026-10-30", "--per", "council", "--n", "3"),
        *("--seed", "4", "--auditor", "A1", "--auditor", "A2", "--store", kept, "--programme", "CP audit"),
        *("--due", "2026-11-30", "--group", "child-protection"),
    )
    assert drawn.returncode == 0, drawn.stderr
    return data, kept


def _question_rows(sheet: object) -> list[int]:
    rows = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == QUESTION_HEADINGS[0]]  # type: ignore[attr-defined]
    first = rows[0] + 1
    last = first
    while sheet.cell(last, 1).value:  # type: ignore[attr-defined]
        last += 1
    return list(range(first, last))


def _row(sheet: object, label: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == label)  # type: ignore[attr-defined]


def _complete(book_path: Path, out: Path, *, hand_in: bool, spoil: str | None = None) -> None:
    """Fill every sheet as an auditor would; ``spoil`` names a sheet whose last answer is written wrong."""
    book = load_workbook(book_path)
    for sheet in book.worksheets[1:]:
        for row in _question_rows(sheet):
            sheet.cell(row, ANSWER_COLUMN).value = "met"
            sheet.cell(row, GRADE_COLUMN).value = "good"
            sheet.cell(row, EVIDENCE_COLUMN).value = "- the plan of 3 March says so"  # a formula-looking text
        sheet.cell(_row(sheet, "Overall grade"), 2).value = "good"
        sheet.cell(_row(sheet, "The child's voice"), 2).value = "in the child's own words at each visit"
        sheet.cell(_row(sheet, "Impact for the child"), 2).value = "attends school every day"
        sheet.cell(_row(sheet, "Hand in (yes/no)"), 2).value = "yes" if hand_in else "no"
        if sheet.title == spoil:
            sheet.cell(_question_rows(sheet)[-1], ANSWER_COLUMN).value = "mostly"
    book.save(out)


def test_forms_go_out_come_back_completed_and_are_kept(kept: tuple[Path, Path], tmp_path: Path) -> None:
    data, store_file = kept
    forms = tmp_path / "forms.xlsx"
    written = casewatch("qa", "export", "CP audit", "--store", store_file, "--data", data, "--out", forms)
    assert written.returncode == 0, written.stderr
    assert "Wrote 3 audit forms of sample 1 ('CP audit')" in " ".join(written.stdout.split())
    book = load_workbook(forms)
    assert book.sheetnames[0] == "About" and len(book.sheetnames) == 4
    engine = open_store(f"sqlite:///{store_file}")
    members = [m.person_id for m in store.load_sample(engine, 1).sample.members]
    allocation = store.load_allocation(engine, 1)
    for sheet, person in zip(book.worksheets[1:], members, strict=True):
        assert sheet.cell(_row(sheet, "Child"), 2).value == person
        assert sheet.cell(_row(sheet, "Auditor"), 2).value == allocation.auditor_of(person)
        labels = [str(sheet.cell(r, 1).value or "") for r in range(1, sheet.max_row + 1)]
        assert "Compliance: the child's automated results due in the last 12 months, 1 November 2025" in " ".join(
            labels
        )

    done = tmp_path / "done.xlsx"
    _complete(forms, done, hand_in=True)
    imported = casewatch("qa", "import", done, "--store", store_file)
    assert imported.returncode == 0, imported.stderr
    said = " ".join(imported.stdout.split())
    assert "Kept 3 audits of sample 1" in said and "3 handed in, 0 kept as drafts" in said
    for person in members:
        audit = store.load_audit(engine, 1, person)
        assert audit is not None and audit.status is AuditStatus.SUBMITTED
        assert {a.evidence for a in audit.answers.values()} == {"- the plan of 3 March says so"}  # as typed
        assert audit.overall_grade == "good" and audit.auditor_id == allocation.auditor_of(person)

    # An old copy, not handed in, cannot undo the submission; once returned, the auditor's change is kept.
    draft = tmp_path / "draft.xlsx"
    _complete(forms, draft, hand_in=False)
    refused = casewatch("qa", "import", draft, "--store", store_file)
    assert refused.returncode == 1 and "has been submitted; the QA lead must return it" in refused.stderr
    audit = store.load_audit(engine, 1, members[0])
    assert audit is not None
    store.save_audit(engine, 1, return_for_change(audit, "say which visit"))
    again = casewatch("qa", "export", "CP audit", "--store", store_file, "--data", data, "--out", tmp_path / "b.xlsx")
    assert again.returncode == 0, again.stderr
    sheet = load_workbook(tmp_path / "b.xlsx").worksheets[1]
    assert sheet.cell(_row(sheet, "Returned because"), 2).value == "say which visit"
    assert sheet.cell(_question_rows(sheet)[0], EVIDENCE_COLUMN).value == "'- the plan of 3 March says so"  # guarded


def test_a_workbook_with_a_mistake_keeps_nothing_and_names_the_sheet_and_cell(
    kept: tuple[Path, Path], tmp_path: Path
) -> None:
    data, store_file = kept
    forms = tmp_path / "forms.xlsx"
    assert casewatch("qa", "export", "CP audit", "--store", store_file, "--data", data, "--out", forms).returncode == 0
    spoiled_sheet = load_workbook(forms).sheetnames[2]
    bad = tmp_path / "bad.xlsx"
    _complete(forms, bad, hand_in=True, spoil=spoiled_sheet)
    sheet = load_workbook(bad)[spoiled_sheet]
    row = _question_rows(sheet)[-1]
    refused = casewatch("qa", "import", bad, "--store", store_file)
    assert refused.returncode == 1
    message = " ".join(refused.stderr.split())
    assert (
        f"nothing was imported; 1 sheet to correct: sheet '{spoiled_sheet}', cell E{row}: 'mostly' is not an answer"
        in (message)
    )
    assert "Traceback" not in refused.stderr
    engine = open_store(f"sqlite:///{store_file}")
    assert all(store.load_audit(engine, 1, m.person_id) is None for m in store.load_sample(engine, 1).sample.members)

    gap = tmp_path / "gap.xlsx"
    book = load_workbook(forms)
    book.save(gap)  # handed in with nothing filled: the first question's answer cell is named
    _complete(forms, gap, hand_in=True)
    book = load_workbook(gap)
    first = book.worksheets[1]
    first.cell(_row(first, "The child's voice"), 2).value = None
    book.save(gap)
    refused = casewatch("qa", "import", gap, "--store", store_file)
    voice = _row(first, "The child's voice")
    assert f"sheet '{first.title}', cell B{voice}: the audit of" in " ".join(refused.stderr.split())


def test_export_and_import_mistakes_are_one_sentence(kept: tuple[Path, Path], tmp_path: Path) -> None:
    data, store_file = kept
    cases = [
        (
            ("qa", "export", "Nope", "--store", store_file, "--data", data, "--out", tmp_path / "f.xlsx"),
            "there is no audit programme called 'Nope'",
        ),
        (
            ("qa", "export", "CP audit", "--store", store_file, "--data", data, "--out", tmp_path / "f.csv"),
            "the forms are a workbook; give a file ending in .xlsx",
        ),
        (
            (
                "qa",
                "export",
                "CP audit",
                "--store",
                store_file,
                "--data",
                data,
                "--auditor",
                "Z9",
                "--out",
                tmp_path / "f.xlsx",
            ),
            "no audit of sample 1 is allocated to Z9",
        ),
    ]
    not_a_book = tmp_path / "notes.xlsx"
    not_a_book.write_text("not a workbook", encoding="utf-8")
    cases.append(
        (
            ("qa", "import", not_a_book, "--store", store_file),
            "is not an Excel workbook (it is not an .xlsx file inside",
        )
    )
    for args, sentence in cases:
        done = casewatch(*args)
        assert done.returncode == 1, done.stdout
        assert sentence in " ".join(done.stderr.split())
        assert "Traceback" not in done.stderr
