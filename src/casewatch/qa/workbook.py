"""The audit forms of a sample as a workbook, for councils that audit offline, and the completed workbook read back.

Many councils' auditors work in Excel: the QA lead sends each auditor a workbook, they fill it in, and it comes
back. So a sample's forms are written one sheet a child: the programme, the child and the auditor at the top,
the compliance section (the child's automated results, read-only in spirit), then each question with its
section and quote and three cells to fill (answer and grade from drop-down lists, the evidence), then the
overall grade, the child's voice, the impact for the child, a safeguarding concern, and whether to hand the
audit in. Reading it back, every problem is found before anything is kept, and each is one sentence naming the
sheet and the cell; the caller keeps all the audits or none.

The layout is defined once here (the ``LABEL_*`` constants and ``QUESTION_HEADINGS``), for writer and reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from casewatch.data.spreadsheet import open_workbook, safe_text, unguarded_text
from casewatch.data.vocabulary import is_empty, yes_no
from casewatch.errors import CasewatchError
from casewatch.standards.audit import ANSWERS, Answer

from . import moderation
from .completed import AuditProblem, AuditStatus, CompletedAudit, QuestionAnswer, save_draft, submit
from .form import AuditForm

ABOUT_SHEET = "About"
LABEL_PROGRAMME = "Programme"
LABEL_SAMPLE = "Sample"
LABEL_CHILD = "Child"
LABEL_AUDITOR = "Auditor"
LABEL_FORM = "Form"
#: What a sheet is for: an audit, or a moderator's blind grading of an audit handed in.
AUDIT, MODERATION = "audit", "moderation"
LABEL_DATE = "Audit date"
LABEL_HAND_IN = "Hand in (yes/no)"
LABEL_RETURNED = "Returned because"
LABEL_OVERALL = "Overall grade"
LABEL_VOICE = "The child's voice"
LABEL_IMPACT = "Impact for the child"
LABEL_CONCERN = "Safeguarding concern (yes/no)"
#: The quality section's columns; the auditor fills the last three.
QUESTION_HEADINGS = ("Question id", "Section", "Question", "Quote", "Answer", "Grade", "Evidence from the file")
ANSWER_COLUMN, GRADE_COLUMN, EVIDENCE_COLUMN = 5, 6, 7
COMPLIANCE_HEADINGS = ("Standard", "Due", "Done", "Status", "Evidence")
#: Where each part the auditor fills sits, by the label in column A, and what an AuditProblem calls it.
PARTS = {"overall_grade": LABEL_OVERALL, "child_voice": LABEL_VOICE, "impact": LABEL_IMPACT}
_COLUMNS = {"answer": ANSWER_COLUMN, "grade": GRADE_COLUMN, "evidence": EVIDENCE_COLUMN}
_UNSAFE_TITLE = re.compile(r"[\[\]:*?/\\]")


def write_forms(
    path: Path,
    sample_id: int,
    forms: Sequence[AuditForm],
    auditors: Mapping[str, str],
    kept: Mapping[str, CompletedAudit] | None = None,
    *,
    kind: str = AUDIT,
) -> None:
    """One sheet a child of ``forms``, for the auditor ``auditors`` names; what ``kept`` holds is filled in, so a
    returned audit goes back to its auditor with their answers and the reason. For moderation (``kind``) the
    auditor is the moderator and nothing is filled in: the grading is blind."""
    if not forms:
        raise CasewatchError("the sample has no children to audit, so there is no form to write")
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = ABOUT_SHEET
    first = forms[0]
    about.append(["Case-file audit forms", ""])
    about.append([LABEL_PROGRAMME, safe_text(first.programme)])
    about.append([LABEL_SAMPLE, sample_id])
    about.append([LABEL_FORM, kind])
    about.append(["Pack", first.pack])
    about.append(["Grade scale", f"{first.scale.name}: {first.scale.scale.title}"])
    about.append(["Answers", ", ".join(ANSWERS)])
    about.append(["", ""])
    about.append(["How to fill it in", "One sheet a child. Fill the Answer, Grade and Evidence cells of each question"])
    about.append(["", "and the overall grade, the child's voice and the impact. Write yes to hand the audit in;"])
    about.append(["", "leave no and it is kept as a draft. Sheets, rows and the cells in column A must not move."])
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    titles: set[str] = {ABOUT_SHEET}
    for form in forms:
        sheet = book.create_sheet(_title(form.person_id, titles))
        filled = None if kind == MODERATION else (kept or {}).get(form.person_id)
        _write_form(sheet, sample_id, form, auditors.get(form.person_id, ""), filled, kind)
    book.save(path)


def _title(person_id: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), distinct from the others."""
    base = _UNSAFE_TITLE.sub("_", person_id)[:31] or "child"
    title, n = base, 1
    while title in taken:
        n += 1
        title = f"{base[: 31 - len(str(n)) - 1]}~{n}"
    taken.add(title)
    return title


def _write_form(
    sheet: Worksheet, sample_id: int, form: AuditForm, auditor: str, kept: CompletedAudit | None, kind: str
) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([f"Case-file audit: {safe_text(form.programme)}"])
    sheet["A1"].font = Font(bold=True, size=14)
    submitted = kept is not None and kept.status is AuditStatus.SUBMITTED
    for label, value in (
        (LABEL_PROGRAMME, safe_text(form.programme)),
        (LABEL_SAMPLE, sample_id),
        (LABEL_FORM, kind),
        (LABEL_CHILD, safe_text(form.person_id)),
        (LABEL_AUDITOR, safe_text(auditor)),
        (LABEL_DATE, form.as_at),
        (LABEL_HAND_IN, "yes" if submitted else "no"),
        (LABEL_RETURNED, safe_text(kept.returned_because) if kept is not None else ""),
    ):
        sheet.append([label, value])
        sheet.cell(sheet.max_row, 1).font = bold
    sheet.cell(_row_of(sheet, LABEL_DATE), 2).number_format = "yyyy-mm-dd"
    yes_or_no = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    sheet.add_data_validation(yes_or_no)
    yes_or_no.add(sheet.cell(_row_of(sheet, LABEL_HAND_IN), 2))

    sheet.append([])
    sheet.append([f"Compliance: the child's automated results due in {form.period}"])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([form.compliance_summary()])
    sheet.append(list(COMPLIANCE_HEADINGS))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for item in form.compliance or ():
        sheet.append([item.title, item.due_date, item.completed_date, item.status.label, safe_text(item.explanation)])
        for column in (2, 3):
            sheet.cell(sheet.max_row, column).number_format = "yyyy-mm-dd"

    sheet.append([])
    sheet.append(list(QUESTION_HEADINGS))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    grades = ",".join(g.id for g in form.scale.scale.grades)
    grade_list = DataValidation(type="list", formula1=f'"{grades}"', allow_blank=True)
    sheet.add_data_validation(grade_list)
    answers = kept.answers if kept is not None else {}
    for section in form.sections:
        for question in section.questions:
            given = answers.get(question.id, QuestionAnswer())
            sheet.append(
                [
                    question.id,
                    safe_text(section.title),
                    safe_text(question.question),
                    safe_text(f"{question.citation.section}: {question.citation.quote.strip()}"),
                    given.answer or "",
                    given.grade or "",
                    safe_text(given.evidence),
                ]
            )
            row = sheet.max_row
            allowed = DataValidation(type="list", formula1=f'"{",".join(question.answers)}"', allow_blank=True)
            sheet.add_data_validation(allowed)
            allowed.add(sheet.cell(row, ANSWER_COLUMN))
            grade_list.add(sheet.cell(row, GRADE_COLUMN))
            for column in range(2, len(QUESTION_HEADINGS) + 1):
                sheet.cell(row, column).alignment = wrap

    sheet.append([])
    for part, label in PARTS.items():
        value = getattr(kept, part) if kept is not None else ""
        sheet.append([label, safe_text(value or "")])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.cell(sheet.max_row, 2).alignment = wrap
    grade_list.add(sheet.cell(_row_of(sheet, LABEL_OVERALL), 2))
    sheet.append([LABEL_CONCERN, "yes" if kept is not None and kept.safeguarding_concern else "no"])
    sheet.cell(sheet.max_row, 1).font = bold
    yes_or_no.add(sheet.cell(sheet.max_row, 2))
    for column, width in zip(range(1, 8), (24, 22, 50, 60, 16, 22, 60), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width


def read_forms(path: Path, forms: Mapping[str, AuditForm]) -> tuple[int, str, list[CompletedAudit]]:
    """The audits of a completed workbook: the sample it belongs to, what its sheets are (audits or moderation)
    and each child's audit, drafted or handed in as its sheet says (a moderator's sheet reads as the same form,
    its auditor the moderator). ``forms`` are the sample's forms by child. Every sheet is checked before any audit
    is returned; the first problem of each sheet is reported, all in one error, each naming sheet and cell."""
    book = _open(path)
    sample_id = _sample_of(book, path)
    kind = _kind_of(book, path)
    audits: list[CompletedAudit] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for sheet in book.worksheets:
        if sheet.title == ABOUT_SHEET:
            continue
        try:
            audit = _read_sheet(sheet, sample_id, kind, forms, seen)
        except CasewatchError as problem:
            problems.append(f"sheet '{sheet.title}', {problem}")
        else:
            audits.append(audit)
    if problems:
        raise CasewatchError(
            f"{path}: nothing was imported; {len(problems)} sheet{'s' if len(problems) != 1 else ''} to correct: "
            + "; ".join(problems)
        )
    return sample_id, kind, audits


def _kind_of(book: Workbook, path: Path) -> str:
    about = book[ABOUT_SHEET]
    row = _row_of(about, LABEL_FORM)
    kind = _text(about.cell(row, 2).value) if row else ""
    if kind not in (AUDIT, MODERATION):
        raise CasewatchError(f"{path}: sheet '{ABOUT_SHEET}', cell B{row or 4}: expected '{AUDIT}' or '{MODERATION}'")
    return kind


def sample_of(path: Path) -> int:
    """The number of the sample a forms workbook belongs to, from its About sheet."""
    return _sample_of(_open(path), path)


def _open(path: Path) -> Workbook:
    book = open_workbook(path)
    if ABOUT_SHEET not in book.sheetnames:
        raise CasewatchError(f"{path}: has no '{ABOUT_SHEET}' sheet, so it is not a casewatch audit workbook")
    return book


def _sample_of(book: Workbook, path: Path) -> int:
    about = book[ABOUT_SHEET]
    row = _row_of(about, LABEL_SAMPLE)
    value = about.cell(row, 2).value if row else None
    if not isinstance(value, int):
        raise CasewatchError(f"{path}: sheet '{ABOUT_SHEET}', cell B{row or 3}: expected the sample's number")
    return value


def _read_sheet(
    sheet: Worksheet, sample_id: int, kind: str, forms: Mapping[str, AuditForm], seen: dict[str, str]
) -> CompletedAudit:
    sample_row = _required_row(sheet, LABEL_SAMPLE)
    if sheet.cell(sample_row, 2).value != sample_id:
        raise CasewatchError(f"cell B{sample_row}: the sheet is of another sample than the About sheet's {sample_id}")
    form_row = _required_row(sheet, LABEL_FORM)
    if _text(sheet.cell(form_row, 2).value) != kind:
        raise CasewatchError(f"cell B{form_row}: the sheet is not a {kind} form, as the About sheet says")
    child_row = _required_row(sheet, LABEL_CHILD)
    person_id = _text(sheet.cell(child_row, 2).value)
    if person_id not in forms:
        raise CasewatchError(f"cell B{child_row}: '{person_id}' is not a child of sample {sample_id}")
    if person_id in seen:
        raise CasewatchError(f"cell B{child_row}: {person_id} is also on sheet '{seen[person_id]}'")
    seen[person_id] = sheet.title
    form = forms[person_id]
    auditor = _text(sheet.cell(_required_row(sheet, LABEL_AUDITOR), 2).value)
    header = _required_row(sheet, QUESTION_HEADINGS[0], after=_required_row(sheet, LABEL_RETURNED))
    rows: dict[str, int] = {}
    answers: dict[str, QuestionAnswer] = {}
    row = header + 1
    while not is_empty(_text(sheet.cell(row, 1).value), typed=True):
        question_id = _text(sheet.cell(row, 1).value)
        if question_id in rows:
            raise CasewatchError(f"cell A{row}: the question '{question_id}' is also in row {rows[question_id]}")
        rows[question_id] = row
        answer = _text(sheet.cell(row, ANSWER_COLUMN).value)
        grade = _text(sheet.cell(row, GRADE_COLUMN).value)
        answers[question_id] = QuestionAnswer(
            answer=_answer(answer, f"{get_column_letter(ANSWER_COLUMN)}{row}"),
            grade=None if is_empty(grade, typed=True) else grade,
            evidence=_text(sheet.cell(row, EVIDENCE_COLUMN).value),
        )
        row += 1
    missing = [q.id for q in form.questions if q.id not in rows]
    if missing:
        raise CasewatchError(f"rows {header + 1} on: the question '{missing[0]}' of the programme is not on the sheet")
    parts = {part: _required_row(sheet, label, after=row) for part, label in PARTS.items()}
    returned = _text(sheet.cell(_required_row(sheet, LABEL_RETURNED), 2).value)
    overall = _text(sheet.cell(parts["overall_grade"], 2).value)
    audit = CompletedAudit(
        person_id=person_id,
        auditor_id=auditor,
        answers=answers,
        overall_grade=None if is_empty(overall, typed=True) else overall,
        child_voice=_text(sheet.cell(parts["child_voice"], 2).value),
        impact=_text(sheet.cell(parts["impact"], 2).value),
        safeguarding_concern=_flag(sheet, _required_row(sheet, LABEL_CONCERN, after=row), default=False),
        status=AuditStatus.RETURNED if returned else AuditStatus.DRAFT,
        returned_because=returned,
    )
    hand_in = _flag(sheet, _required_row(sheet, LABEL_HAND_IN), default=False)
    try:
        if kind == MODERATION:  # a blind grading: the answers and the overall grade, all of them once handed in
            checked = save_draft(form, replace(audit, status=AuditStatus.DRAFT, returned_because=""))
            if hand_in:
                moderation.grade(form, moderation.from_form(checked))
            return replace(checked, status=AuditStatus.SUBMITTED if hand_in else AuditStatus.DRAFT)
        return submit(form, audit) if hand_in else save_draft(form, audit)
    except AuditProblem as problem:
        raise CasewatchError(f"{_cell_of(problem, rows, parts)}: {problem}") from None


def _cell_of(problem: AuditProblem, rows: Mapping[str, int], parts: Mapping[str, int]) -> str:
    """The cell an audit problem is about, on a sheet laid out by ``_write_form``."""
    if problem.question is not None and problem.question in rows:
        column = _COLUMNS.get(problem.column, 1)
        return f"cell {get_column_letter(column)}{rows[problem.question]}"
    if problem.part is not None and problem.part in parts:
        return f"cell B{parts[problem.part]}"
    return "the sheet"


def _answer(text: str, cell: str) -> Answer | None:
    if is_empty(text, typed=True):
        return None
    spelled = text.strip().lower().replace(" ", "_")
    for answer in ANSWERS:
        if spelled == answer:
            return answer
    raise CasewatchError(f"cell {cell}: '{text}' is not an answer; write one of {', '.join(ANSWERS)}")


def _flag(sheet: Worksheet, row: int, *, default: bool) -> bool:
    text = _text(sheet.cell(row, 2).value)
    if is_empty(text, typed=True):
        return default
    value = yes_no(text)
    if value is None:
        raise CasewatchError(f"cell B{row}: '{text}' is not yes or no")
    return value


def _row_of(sheet: Worksheet, label: str, after: int = 0) -> int:
    """The first row after ``after`` whose column A holds ``label`` (0: none)."""
    for row in range(after + 1, sheet.max_row + 1):
        if _text(sheet.cell(row, 1).value) == label:
            return row
    return 0


def _required_row(sheet: Worksheet, label: str, after: int = 0) -> int:
    row = _row_of(sheet, label, after)
    if not row:
        raise CasewatchError(f"column A: no row labelled '{label}'; the sheet's layout must not change")
    return row


def _text(value: Any) -> str:
    """A cell as the text the auditor typed ('' when empty; a date as YYYY-MM-DD), without the apostrophe the
    formula guard put before text that would otherwise run as a formula."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(unguarded_text(value)).strip()


__all__ = ["ABOUT_SHEET", "AUDIT", "MODERATION", "QUESTION_HEADINGS", "read_forms", "sample_of", "write_forms"]
