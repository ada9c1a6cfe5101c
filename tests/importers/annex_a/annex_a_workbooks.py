"""Deliberately messy Annex A workbooks built in the test's tmp_path (every child and worker is invented)."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

NBSP = "\u00a0"
AS_AT = date(2026, 10, 30)


def messy_workbook(path: Path) -> Path:
    """A workbook with the mess real councils send (see the comments on each sheet for what is planted where)."""
    book = Workbook()
    front = book.active
    assert front is not None
    front.title = "Front_Sheet"
    front.append(["This spreadsheet provides supplementary information ..."])

    # List 1 as "List 1 - Contacts": title row, an extra blank row, trailing spaces and NBSP in headings,
    # a serial date, dd/mm/yyyy text, a datetime, "#N/A" for a source, a blank row between data rows.
    contacts = book.create_sheet("List 1 - Contacts")
    contacts.append(["List 1: Contacts"])
    contacts.append([])
    contacts.append(
        [
            "Child Unique ID ",
            f"Gender{NBSP}",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Date of  Contact",
            "Contact Source",
        ]
    )
    contacts.append(["C001", "a) Male", "a) WBRI", "01/02/2015", 11, 46143, "p1) 5D: LA services"])  # row 4
    contacts.append(["C002", "b) Female", "WBRI", datetime(2016, 3, 4), 10, "15/09/2026", "#N/A"])  # row 5
    contacts.append([None, None, None, None, None, None, None])  # row 6: blank
    contacts.append(["C003", "c) Not stated/recorded", "s) NOBT", None, None, "31/02/2026", "2A: Schools"])  # row 7
    contacts.append(["C001", "a) Male", "a) WBRI", "01/02/2015", 11, datetime(2026, 9, 1, 10, 30), "6: Police"])

    # List 3 as "L3" with curly quotes and odd case in headings, worker name with NBSP, an unknown column.
    referrals = book.create_sheet("L3")
    referrals.append(["List 3: Referral"])
    referrals.append(
        [
            "child unique id",
            "GENDER",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Date of referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            "Allocated Team",
            "Allocated Worker",
            "Council's own notes",
        ]
    )
    referrals.append(
        [
            "C001",
            "a) Male",
            "a) WBRI",
            "01/02/2015",
            11,
            "2026-09-02",
            "6: Police",
            "b) No",
            1,
            "Assessment  Team",
            f"Worker{NBSP}One",
            "anything",
        ]
    )  # row 3
    referrals.append(
        [
            "C002",
            "b) Female",
            "WBRI",
            None,
            10,
            "not a date",
            "1A: Individual",
            "a) Yes",
            1,
            "Assessment Team",
            "Worker Two",
            None,
        ]
    )  # row 4: unusable required date

    # List 4 as "Assessments" with the 2019 curly-apostrophe heading.
    assessments = book.create_sheet("Assessments")
    assessments.append(["List 4: Assessments"])
    assessments.append(
        [
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children\u2019s social care support",
            "Allocated Team",
            "Allocated Worker",
        ]
    )
    assessments.append(
        [
            "C001",
            "a) Male",
            "a) WBRI",
            "01/02/2015",
            11,
            "a) Yes",
            "03/09/2026",
            "a) Yes",
            46290,  # 2026-09-25 as a serial
            "a) Yes",
            "Assessment Team",
            "Worker One",
        ]
    )  # auth as a serial

    # List 7 as "List_7": the template's exact headings.
    cp = book.create_sheet("List_7")
    cp.append(["List 7: Child protection"])
    cp.append(
        [
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of the Last Statutory Visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
            "Number of Previous Child Protection Plans",
            "Allocated Team",
            "Allocated Worker",
        ]
    )
    cp.append(
        [
            "C004",
            "b) Female",
            "a) WBRI",
            "05/06/2019",
            7,
            "b) No",
            "10/07/2026",
            "b) Neglect",
            "b) Neglect",
            "20/10/2026",
            "a) Yes",
            "02/10/2026",
            None,
            "N",
            0,
            "Safeguarding Team",
            "Worker Three",
        ]
    )

    # List 9 with the 2024 columns.
    leavers = book.create_sheet("Care leavers")
    leavers.append(["List 9: Care leavers"])
    leavers.append(
        [
            "Child Unique ID",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
            "Does the Child have a Disability",
            "Allocated Team",
            "Allocated Worker",
            "Allocated Personal Advisor",
            "Eligibility Category",
            "Latest Pathway Plan Review Date",
            "LA in Touch",
            "Latest Date of Contact",
            "Type of Accommodation",
            "Suitability of Accommodation",
            "Activity Status",
        ]
    )
    leavers.append(
        [
            "C005",
            "a) Male",
            "a) WBRI",
            "01/01/2007",
            19,
            "N",
            "b) No",
            "Leaving Care Team",
            None,
            "Adviser One",
            "c) Former relevant",
            "01/09/2026",
            "a) Yes",
            "12/10/2026",
            "B: Supported lodgings",
            "1: Suitable",
            "F1: Full time education",
        ]
    )

    book.create_sheet("Notes").append(["free text someone left here"])
    book.save(path)
    return path


def csv_folder(folder: Path) -> Path:
    """A folder of per-list CSVs named by list title, with a title row and dd/mm/yyyy dates."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "Contacts.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["List 1: Contacts"])
        writer.writerow(
            [
                "Child Unique ID",
                "Gender",
                "Ethnicity",
                "Date of Birth",
                "Age of Child (Years)",
                "Date of Contact",
                "Contact Source",
            ]
        )
        writer.writerow(["C010", "a) Male", "WBRI", "01/02/2015", "11", "01/10/2026", "5D: LA services"])
        writer.writerow(["", "", "", "", "", "", ""])
        writer.writerow(["C011", "b) Female", "WBRI", "01/02/2016", "10", "45000000", "1A: Individual"])
    return folder
